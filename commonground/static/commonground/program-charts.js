// Draw the program's charts; each has a table beside it holding the same figures (a suppressed one is a gap).
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var COLOURS = ["#005ea2", "#e5a000", "#00a91c", "#d83933"];
  function read(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  var growth = read("growth-data");
  document.querySelectorAll("canvas[data-chart='growth']").forEach(function (canvas) {
    if (!growth) { return; }
    new Chart(canvas, {
      type: "line",
      data: {
        labels: growth.labels,
        datasets: growth[canvas.dataset.series].map(function (series, i) {
          return { label: series.label, data: series.data, borderColor: COLOURS[i], backgroundColor: COLOURS[i], spanGaps: false };
        })
      },
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
  var steps = read("steps-data");
  var stepsCanvas = document.getElementById("steps-chart");
  if (steps && stepsCanvas) {
    new Chart(stepsCanvas, {
      type: "bar",
      data: {
        labels: steps.labels,
        datasets: steps.series.map(function (series, i) {
          return { label: series.label, data: series.data, backgroundColor: [COLOURS[2], COLOURS[1], "#a9aeb1"][i] };
        })
      },
      options: { responsive: true, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  var incidents = read("incidents-data");
  var incidentsCanvas = document.getElementById("incidents-chart");
  if (incidents && incidentsCanvas) {
    new Chart(incidentsCanvas, {
      type: "bar",
      data: { labels: incidents.labels, datasets: [{ label: incidentsCanvas.dataset.label, data: incidents.data, backgroundColor: COLOURS[0] }] },
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
})();
