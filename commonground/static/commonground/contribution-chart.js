// Draw the public and private resource counts per support function; the table beside it holds the same data.
(function () {
  "use strict";
  var canvas = document.getElementById("contribution-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(document.getElementById("contribution-data").textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: canvas.dataset.publicLabel, data: data.public, backgroundColor: "#005ea2" },
        { label: canvas.dataset.privateLabel, data: data.private, backgroundColor: "#e5a000" }
      ]
    },
    options: { indexAxis: "y", responsive: true, animation: false, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
