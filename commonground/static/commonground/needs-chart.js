// Draw the mean current level against the mean importance per mission area; the table below holds the same data.
(function () {
  "use strict";
  var canvas = document.getElementById("needs-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(document.getElementById("needs-data").textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: canvas.dataset.levelLabel, data: data.level, backgroundColor: "#005ea2" },
        { label: canvas.dataset.importanceLabel, data: data.importance, backgroundColor: "#e5a000" }
      ]
    },
    options: { responsive: true, animation: false, scales: { y: { min: 0, max: 5, ticks: { stepSize: 1 } } } }
  });
  canvas.dataset.ready = "1";
})();
