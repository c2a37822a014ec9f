// Draw every chart on the page from its JSON spec (no inline scripts: CSP). What the charts share (fonts,
// margins, colours, the Korean locale and toolbar) comes once per page in #chart-shared: its template lies
// under each chart's own layout, which overrides it attribute by attribute.
(function () {
  "use strict";
  var shared = document.getElementById("chart-shared");
  if (!shared || !window.Plotly) return;
  shared = JSON.parse(shared.textContent);
  document.querySelectorAll("div.chart[data-spec]").forEach(function (div) {
    var source = document.getElementById(div.dataset.spec);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    spec.layout.template = shared.template;
    window.Plotly.newPlot(div, spec.data, spec.layout, shared.config);
  });
})();
