/* Draw the page's charts from the figures the server rendered into #dashboard-figures (the
   same {data, layout} the live channel pushes; live.js redraws them with Plotly.react). */
(function () {
  "use strict";
  var config = { responsive: true, displaylogo: false };

  function draw() {
    var holder = document.getElementById("dashboard-figures");
    if (!holder || !window.Plotly) { return; }
    var figures = JSON.parse(holder.textContent || "{}");
    Object.keys(figures).forEach(function (id) {
      var element = document.getElementById(id);
      if (element) { window.Plotly.react(element, figures[id].data, figures[id].layout || {}, config); }
    });
    document.body.dataset.chartsDrawn = String(Object.keys(figures).length);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
