// Django admin markup put right for the width and accessibility checks, once the admin's own scripts
// (SelectFilter2, the calendar) have run on load.
(function () {
  "use strict";

  function name(text) {
    return text.replace(/[:?]\s*$/, "").replace(/\s+/g, " ").trim();
  }

  // A tabular inline's fields have no labels, only their column's header.
  function labelInlineFields() {
    document.querySelectorAll(".inline-group .tabular table").forEach(function (table) {
      var headers = table.tHead ? table.tHead.rows[0].cells : [];
      table.querySelectorAll("tbody td").forEach(function (cell) {
        var header = headers[cell.cellIndex];
        if (!header) return;
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
          if (!field.labels.length && !field.hasAttribute("aria-label")) field.setAttribute("aria-label", name(header.textContent));
        });
      });
    });
  }

  // A split date and time field: its two boxes are named by the field's label and the words before each box.
  function labelSplitDateTimes() {
    document.querySelectorAll("p.datetime").forEach(function (row) {
      var label = row.parentElement.querySelector("label");
      row.querySelectorAll("input").forEach(function (field) {
        var before = field.previousSibling && field.previousSibling.textContent ? field.previousSibling.textContent : "";
        if (!field.labels.length) field.setAttribute("aria-label", name((label ? name(label.textContent) : "") + " " + before));
      });
    });
  }

  // SelectFilter2's search icon carries aria-label, which a span may only have with a role.
  function giveIconsARole() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // django-import-export's preview table scrolls inside its own box; a box that scrolls and holds nothing
  // focusable takes the focus itself, so that the keyboard can scroll it.
  function scrollInOwnBox() {
    document.querySelectorAll("table.import-preview").forEach(function (table) {
      var box = document.createElement("div");
      box.className = "scroll-box";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    document.querySelectorAll(".scroll-box, .inline-group, #changelist-form .results").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.querySelector("a[href], input:not([type=hidden]), select, textarea, button")) {
        box.tabIndex = 0;
      }
    });
  }

  window.addEventListener("load", function () {
    labelInlineFields();
    labelSplitDateTimes();
    giveIconsARole();
    scrollInOwnBox();
  });
})();
