// Show the program's communities on a map set up by base-map.js; a facilitator's marker opens the community.
(function () {
  "use strict";
  var element = document.querySelector("[data-program-map]");
  if (!element || !window.CommonGround || typeof L === "undefined") { return; }
  var markers = JSON.parse(document.getElementById(element.dataset.markers).textContent);
  var map = window.CommonGround.baseMap(element);
  var bounds = [];
  markers.forEach(function (m) {
    if (m.lat === null || m.lon === null) { return; }
    var marker = L.circleMarker([m.lat, m.lon], { radius: 8, color: "#005ea2", weight: 2, fillOpacity: 0.7 });
    var popup = document.createElement("div");
    var name = document.createElement(m.url ? "a" : "strong");
    if (m.url) { name.href = m.url; }
    name.textContent = m.name;
    var detail = document.createElement("div");
    detail.textContent = m.detail;
    popup.appendChild(name);
    popup.appendChild(detail);
    marker.bindPopup(popup).addTo(map);
    bounds.push([m.lat, m.lon]);
  });
  if (bounds.length) {
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
  } else {
    map.setView(window.CommonGround.mapHome(element), 4);
  }
  element.dataset.ready = String(bounds.length);
})();
