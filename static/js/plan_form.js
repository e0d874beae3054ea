// Plan edit page: "Add another time window" copies the formset's empty form.
// Without JavaScript the page still offers one blank window row per save.
(function () {
  var button = document.getElementById("add-window");
  var template = document.getElementById("window-template");
  var rows = document.getElementById("window-rows");
  if (!button || !template || !rows) {
    return;
  }
  var prefix = button.getAttribute("data-formset-prefix");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    // The template's legend carries __number__ (in the page's language): the row's number.
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.lastElementChild.querySelector("select, input:not([type=hidden])");
    if (added) {
      added.focus();
    }
  });
})();
