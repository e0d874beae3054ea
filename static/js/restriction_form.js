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
  // The words come from the (translated) page: data-day, data-days, data-hour…
  function word(name) {
    return output.getAttribute("data-" + name) || "";
  }

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
    var length = (days ? days + " " + word(days === 1 ? "day" : "days") + " " : "") +
      (rest || !days ? rest + " " + word(rest === 1 ? "hour" : "hours") : "");
    var sentence = word((to - from) / 36e5 > limitHours ? "needs-approval" : "no-approval");
    output.textContent = sentence.replace("{length}", length.trim());
  }

  start.addEventListener("input", describe);
  end.addEventListener("input", describe);
  describe();
})();
