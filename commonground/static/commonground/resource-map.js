// Show resources on a map set up by base-map.js (the offline outlines, or tiles where a server is set).
// Markers come from a JSON script element.
(function () {
  "use strict";
  function draw(element) {
    var markers = JSON.parse(document.getElementById(element.dataset.markers).textContent);
    var map = window.CommonGround.baseMap(element);
    var bounds = [];
    markers.forEach(function (m) {
      var marker = L.circleMarker([m.lat, m.lon], { radius: 7, color: "#005ea2", weight: 2, fillOpacity: 0.7 });
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = m.url;
      link.textContent = m.name;
      var detail = document.createElement("div");
      detail.textContent = m.detail;
      popup.appendChild(link);
      popup.appendChild(detail);
      marker.bindPopup(popup).addTo(map);
      bounds.push([m.lat, m.lon]);
    });
    if (element.dataset.nearLat) {
      var centre = [parseFloat(element.dataset.nearLat), parseFloat(element.dataset.nearLon)];
      map.setView(centre, 10);  // a circle measures itself only on a map with a view
      var circle = L.circle(centre, { radius: parseFloat(element.dataset.radiusKm) * 1000, color: "#d83933", fill: false });
      circle.addTo(map);
      map.fitBounds(circle.getBounds());
    } else if (bounds.length) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 13 });
    } else {
      map.setView(window.CommonGround.mapHome(element), 9);
    }
    element.dataset.ready = String(markers.length);
  }
  document.querySelectorAll("[data-resource-map]").forEach(draw);
})();
