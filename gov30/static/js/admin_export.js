// The admin's export page: "모두 선택" checks or clears every field box (django-import-export ships this as an
// inline onchange handler, which the CSP blocks).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (!event.target.matches("input.select-toggle")) return;
    document.querySelectorAll(".selectable-field-export-row input[type=checkbox]").forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
