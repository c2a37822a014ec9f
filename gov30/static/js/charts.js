// Draw every chart on the page from its JSON spec (no inline scripts: CSP). What the charts share (fonts,
// margins, colours, the Korean locale and toolbar) comes once per page in #chart-shared: its template lies
// under each chart's own layout, which overrides it attribute by attribute.
(function () {
  "use strict";
  var shared = document.getElementById("chart-shared");
  if (!shared || !window.Plotly) return;
  shared = JSON.parse(shared.textContent);
  var charts = [];
  document.querySelectorAll("div.chart[data-spec]").forEach(function (div) {
    var source = document.getElementById(div.dataset.spec);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    spec.layout.template = shared.template;
    window.Plotly.newPlot(div, spec.data, spec.layout, shared.config);
    charts.push(div);
  });
  // Printing lays the page out on A4, about 700 px between print.css's margins less the boxes around a chart,
  // where a chart drawn for a wider window would be cut: it is drawn again to fit, and for the window once printed.
  var PAPER_PX = 640;
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (div) {
      if (div.offsetWidth > PAPER_PX) window.Plotly.relayout(div, { width: PAPER_PX });
    });
  });
  window.addEventListener("afterprint", function () {
    charts.forEach(function (div) { window.Plotly.relayout(div, { width: null, autosize: true }); });
  });
})();
