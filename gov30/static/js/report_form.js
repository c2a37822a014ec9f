// Live achievement, balance and execution rate while the officer types (no inline scripts: CSP).
(function () {
  "use strict";
  function parse(value) {
    var cleaned = String(value || "").replace(/,/g, "").trim();
    if (cleaned === "" || isNaN(cleaned)) return null;
    return Number(cleaned);
  }
  function percent(ratio) { return Math.round(ratio * 100) + "%"; }
  function bind(output, compute) {
    var input = document.getElementById(output.dataset.input);
    if (!input) return;
    input.addEventListener("input", function () { output.textContent = compute(parse(input.value)); });
  }
  document.querySelectorAll("output.achievement").forEach(function (output) {
    var target = parse(output.dataset.target);
    var higher = output.dataset.higherIsBetter === "1";
    bind(output, function (actual) {
      if (actual === null || !target) return "–";
      if (higher) return percent(actual / target);
      return actual === 0 ? "–" : percent(target / actual);
    });
  });
  document.querySelectorAll("output.balance").forEach(function (output) {
    var available = parse(output.dataset.available);
    bind(output, function (spent) {
      return spent === null || available === null ? "–" : (available - spent).toLocaleString("ko-KR");
    });
  });
  document.querySelectorAll("output.execution-rate").forEach(function (output) {
    var available = parse(output.dataset.available);
    bind(output, function (spent) {
      return spent === null || !available ? "–" : percent(spent / available);
    });
  });
  // One submission per click: disable the buttons once the form is sent.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var clicked = event.submitter;
      if (clicked && clicked.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = clicked.name; hidden.value = "1";
        form.appendChild(hidden);
      }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
})();
