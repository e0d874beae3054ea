// Restriction form: say in words, while the user types, how long the restriction
// lasts and whether it will need a supervisor's approval. The server decides;
// this is only a hint (no inline script: the CSP forbids it).
(function () {
  var output = document.getElementById("restriction-length");
  var start = document.getElementById("id_starts_at");
  var end = document.getElementById("id_ends_at");
  if (!output || !start || !end) {
    return;
  }
  var limitHours = Number(output.getAttribute("data-approval-hours"));

  function describe() {
    var from = new Date(start.value);
    var to = new Date(end.value);
    if (isNaN(from.getTime()) || isNaN(to.getTime()) || to <= from) {
      output.textContent = "";
      return;
    }
    var hours = Math.round((to - from) / 36e5);
    var days = Math.floor(hours / 24);
    var rest = hours % 24;
    var length = (days ? days + (days === 1 ? " day " : " days ") : "") +
      (rest || !days ? rest + (rest === 1 ? " hour" : " hours") : "");
    output.textContent = (to - from) / 36e5 > limitHours
      ? "This one lasts about " + length.trim() + ": it will need a supervisor's approval."
      : "This one lasts about " + length.trim() + ": no approval needed.";
  }

  start.addEventListener("input", describe);
  end.addEventListener("input", describe);
  describe();
})();
