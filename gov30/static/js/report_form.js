// Live achievement, balance and execution rate while the officer types (no inline scripts: CSP).
(function () {
  "use strict";
  // The figures (달성률, 집행잔액, 집행률) come from the server's rules (/reports/<id>/figures/), not a copy here.
  var form = document.querySelector("form[data-figures-url]");
  if (form) {
    var outputs = form.querySelectorAll("output[data-figure]");
    var timer = null;
    var refresh = function () {
      var query = new URLSearchParams();
      outputs.forEach(function (output) {
        var input = document.getElementById(output.dataset.input);
        if (input) query.set(output.dataset.figure, input.value);
      });
      fetch(form.dataset.figuresUrl + "?" + query.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (figures) {
          outputs.forEach(function (output) {
            var figure = figures[output.dataset.figure];
            var kind = output.classList.contains("balance") ? "balance" : "rate";
            if (figure && figure[kind] !== undefined) output.textContent = figure[kind];
          });
        })
        .catch(function () {});
    };
    outputs.forEach(function (output) {
      var input = document.getElementById(output.dataset.input);
      if (!input) return;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(refresh, 250);
      });
    });
  }
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
