// Live figures and number checks while the officer types, one click per submission (no inline scripts: CSP).
(function () {
  "use strict";
  // The figures (달성률, 집행잔액, 집행률, 예산 초과 경고) and whether a typed number is valid come from the
  // server's rules and the form's own fields (/reports/<id>/figures/), not a copy here.
  var form = document.querySelector("form[data-figures-url]");
  if (form) {
    var outputs = form.querySelectorAll("output[data-figure]");
    var inputs = {};  // input id → the figure key its value is sent as
    outputs.forEach(function (output) { inputs[output.dataset.input] = output.dataset.figure; });
    var timer = null;
    var touched = {};  // inputs typed into: only their messages are the live ones (others keep the page's)
    // The server's message beside the input, tied to it for screen readers (aria-describedby), or cleared.
    var flag = function (input, message) {
      var id = input.id + "-error";
      var note = document.getElementById(id);
      if (message && !note) {
        note = document.createElement("div");
        note.id = id;
        note.className = "invalid-feedback d-block";
        note.setAttribute("aria-live", "polite");
        input.insertAdjacentElement("afterend", note);
      }
      if (note) note.textContent = message;
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (token) {
        return token && token !== id;
      });
      if (message) {
        input.setAttribute("aria-invalid", "true");
        input.classList.add("is-invalid");
        described.push(id);
      } else {
        input.removeAttribute("aria-invalid");
        input.classList.remove("is-invalid");
      }
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
    };
    var refresh = function () {
      var query = new URLSearchParams();
      Object.keys(inputs).forEach(function (id) {
        var input = document.getElementById(id);
        if (input) query.set(inputs[id], input.value);
      });
      fetch(form.dataset.figuresUrl + "?" + query.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (figures) {
          outputs.forEach(function (output) {
            var figure = figures[output.dataset.figure];
            var kind = output.dataset.kind;
            if (figure && figure[kind] !== undefined) output.textContent = figure[kind];
          });
          Object.keys(touched).forEach(function (id) {
            var figure = figures[inputs[id]];
            if (figure && figure.error !== undefined) flag(touched[id], figure.error);
          });
        })
        .catch(function () {});
    };
    Object.keys(inputs).forEach(function (id) {
      var input = document.getElementById(id);
      if (!input) return;
      input.addEventListener("input", function () {
        touched[id] = input;
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
