// Draw every chart on the page from its JSON spec (no inline scripts: CSP). plotly.js 4 offers to
// upload a chart to Plotly Cloud by default (showSendToCloud); the portal sends nothing outside.
(function () {
  "use strict";
  document.querySelectorAll("div.chart[data-spec]").forEach(function (div) {
    var source = document.getElementById(div.dataset.spec);
    if (!source || !window.Plotly) return;
    var spec = JSON.parse(source.textContent);
    window.Plotly.newPlot(div, spec.data, spec.layout, {displaylogo: false, responsive: true, locale: "ko", showSendToCloud: false});
  });
})();
