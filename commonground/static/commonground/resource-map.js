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
    pickNear(map, element);
    element.dataset.ready = String(markers.length);
  }

  // A click on the map puts that point in the search's "near" box (as "latitude,longitude"), marked on the
  // map, for the reader to search around it; the filters unfold so the box is in view.
  function pickNear(map, element) {
    var input = document.querySelector("form input[name='near']");
    if (!input) { return; }
    var picked = null;
    map.on("click", function (event) {
      var point = [event.latlng.lat.toFixed(4), event.latlng.lng.toFixed(4)];
      input.value = point.join(",");
      if (picked) { picked.setLatLng(event.latlng); } else {
        picked = L.circleMarker(event.latlng, { radius: 6, color: "#d83933", weight: 2, fillOpacity: 0.9 }).addTo(map);
      }
      var filters = input.closest("details");
      if (filters) { filters.open = true; }
      element.dataset.picked = input.value;
    });
  }
  document.querySelectorAll("[data-resource-map]").forEach(draw);
})();
