// A location field's map (core/forms/place_map.html): a click puts "latitude, longitude" into the place
// field, and the point the form holds (its place as coordinates, or its latitude and longitude) shows as a
// marker. The map is set up by base-map.js (the offline outlines). Without this script the field works alone.
(function () {
  "use strict";
  var POINT = /^\s*([-+]?\d+(?:\.\d+)?)(?:\s*[,;]\s*|\s+)([-+]?\d+(?:\.\d+)?)\s*$/;

  function byId(id) { return id ? document.getElementById(id) : null; }
  function number(input) { var v = input ? parseFloat(input.value) : NaN; return isFinite(v) ? v : null; }
  function valid(point) { return point && Math.abs(point[0]) <= 90 && Math.abs(point[1]) <= 180; }

  function held(place, lat, lon) {
    var match = POINT.exec(place.value);
    if (match) { return [parseFloat(match[1]), parseFloat(match[2])]; }
    if (place.value.trim()) { return null; }  // a ZIP or a city: the server finds its point
    var point = [number(lat), number(lon)];
    return point[0] !== null && point[1] !== null ? point : null;
  }

  function draw(element) {
    var place = byId(element.dataset.place);
    if (!place) { return; }
    var lat = byId(element.dataset.lat), lon = byId(element.dataset.lon), status = byId(element.dataset.status);
    var group = element.closest("[data-place-map-group]");
    if (group) { group.hidden = false; }
    var map = window.CommonGround.baseMap(element);
    var marker = null;

    function show(point, fit) {
      if (!valid(point)) {
        if (marker) { map.removeLayer(marker); marker = null; }
        return;
      }
      if (marker) { marker.setLatLng(point); } else {
        marker = L.circleMarker(point, { radius: 8, color: "#b50909", weight: 2, fillOpacity: 0.7 }).addTo(map);
      }
      if (fit) { map.setView(point, Math.max(map.getZoom(), 11)); }
    }

    var point = held(place, lat, lon);
    if (valid(point)) { map.setView(point, 11); } else {
      map.setView(window.CommonGround.mapHome(element), element.dataset.centerLat ? 9 : 4);
    }
    show(point, false);
    map.on("click", function (event) {
      var at = event.latlng.wrap();
      place.value = at.lat.toFixed(5) + ", " + at.lng.toFixed(5);
      show([at.lat, at.lng], false);
      if (status) { status.textContent = interpolate(gettext("The place is now %s."), [place.value]); }
      element.dataset.picked = place.value;
    });
    place.addEventListener("change", function () { show(held(place, lat, lon), true); });
    element.dataset.ready = "1";
  }

  function start() {
    if (typeof L !== "undefined" && window.CommonGround && window.CommonGround.baseMap) {
      document.querySelectorAll("[data-place-map]").forEach(draw);
    }
  }
  // The script stands beside the place, before the coordinates' fields: it waits for the whole form.
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
