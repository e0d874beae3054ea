// Request form: show only the fields the chosen kind needs (extra minutes: how many;
// until a time: until; a one-off window: from and until). The server checks; without
// this script every field stays visible (no inline script: the CSP forbids it).
(function () {
  var form = document.getElementById("request-form");
  if (!form) {
    return;
  }
  var needs = {
    extra_minutes: ["div_id_minutes"],
    until: ["div_id_ends_at"],
    window: ["div_id_starts_at", "div_id_ends_at"]
  };
  var all = ["div_id_minutes", "div_id_starts_at", "div_id_ends_at"];

  function update() {
    var chosen = form.querySelector("input[name=kind]:checked");
    var shown = chosen ? needs[chosen.value] || all : all;
    all.forEach(function (id) {
      var block = document.getElementById(id);
      if (block) {
        // A field with an error stays in view.
        block.hidden = shown.indexOf(id) === -1 && !block.querySelector(".is-invalid");
      }
    });
  }

  form.addEventListener("change", update);
  update();
})();
