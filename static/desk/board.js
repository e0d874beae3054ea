// House board: the rows refresh every minute (hx-trigger on #board). If the session
// ended meanwhile, the refresh is answered by the sign-in page after a redirect:
// reload the whole page instead of showing a sign-in form inside the board.
(function () {
  var board = document.getElementById("board");
  if (!board) {
    return;
  }
  var rowsPath = new URL(board.getAttribute("hx-get"), window.location.href).pathname;
  board.addEventListener("htmx:beforeSwap", function (event) {
    var answered = event.detail.xhr.responseURL;
    if (answered && new URL(answered).pathname !== rowsPath) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });
})();
