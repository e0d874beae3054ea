// Check-out form: show the "why go against the plan" field, and say it is needed,
// only when the chosen device goes against the plan; likewise for the supervising
// staff member. The server decides; this only guides (no inline script: CSP).
(function () {
  var form = document.getElementById("check-out-form");
  if (!form) {
    return;
  }
  var reason = document.getElementById("div_id_override_reason");
  var reasonInput = document.getElementById("id_override_reason");
  var supervisor = document.getElementById("div_id_supervised_by");
  var needed = form.getAttribute("data-override-needed") === "true";

  function chosen() {
    return form.querySelector("input[name=what]:checked");
  }

  function update() {
    var option = chosen();
    var against = needed || (option !== null && option.getAttribute("data-against-plan") === "true");
    var supervised = option !== null && option.getAttribute("data-supervised") === "true";
    if (reason) {
      reason.hidden = !against;
      reasonInput.required = against;
    }
    if (supervisor) {
      supervisor.hidden = option !== null && !supervised && !supervisor.querySelector(".is-invalid");
    }
  }

  form.addEventListener("change", update);
  update();
})();
