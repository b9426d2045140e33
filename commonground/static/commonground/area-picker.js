// The area picker of a form (an incident's area, a credential program's restricted area): click to place a
// centre (where the form has latitude, longitude and radius fields: the radius sizes the circle), or add the
// points of a polygon and finish it; the GeoJSON goes into the polygon field, which the map replaces on
// screen. Without JavaScript the fields stay as they are. The map element names its fields by id
// (data-lat, data-lon, data-radius, data-polygon, data-status); its tools and the polygon's field group are
// found in its form ([data-area-tools], [data-polygon-group]). No inline script (the Content-Security-Policy);
// its words come from the djangojs catalogue (gettext). Set up by base-map.js, so it works offline.
(function () {
  "use strict";

  function field(id) { return id ? document.getElementById(id) : null; }
  function number(input) { var v = input ? parseFloat(input.value) : NaN; return isFinite(v) ? v : null; }
  function fixed(v) { return String(Math.round(v * 1e6) / 1e6); }
  function say(element, text) { var status = field(element.dataset.status); if (status) { status.textContent = text; } }

  function drawAreaPicker(element) {
    var map = window.CommonGround.baseMap(element);
    var lat = field(element.dataset.lat), lon = field(element.dataset.lon), radius = field(element.dataset.radius);
    var polygonField = field(element.dataset.polygon);
    // A form without a centre's fields (a restricted area) takes a polygon only.
    var polygonOnly = !(lat && lon);
    var scope = element.closest("form") || document;
    var tools = scope.querySelector("[data-area-tools]");
    var group = scope.querySelector("[data-polygon-group]");
    var mode = polygonOnly ? "polygon" : "point";
    var points = [];
    var shape = L.layerGroup().addTo(map);
    if (tools) { tools.hidden = false; }
    if (group && !group.querySelector(".usa-error-message")) { group.hidden = true; }

    function readPolygon() {
      if (!polygonField || !polygonField.value.trim()) { return null; }
      try {
        var geo = JSON.parse(polygonField.value);
        return geo && geo.type === "Polygon" && geo.coordinates && geo.coordinates[0] ? geo.coordinates[0].map(function (p) { return [p[1], p[0]]; }) : null;
      } catch (e) { return null; }
    }

    function redraw(fit) {
      shape.clearLayers();
      var drawn = null;
      var ring = mode === "polygon" && points.length ? points : readPolygon();
      if (ring && ring.length) {
        drawn = (ring.length > 2 ? L.polygon(ring, { color: "#b50909" }) : L.polyline(ring, { color: "#b50909" })).addTo(shape);
        ring.forEach(function (p) { L.circleMarker(p, { radius: 4, color: "#b50909" }).addTo(shape); });
      } else if (number(lat) !== null && number(lon) !== null) {
        var centre = [number(lat), number(lon)];
        L.circleMarker(centre, { radius: 6, color: "#b50909" }).addTo(shape);
        if (number(radius) && number(radius) > 0 && number(radius) <= 500) {
          if (fit) { map.setView(centre, 10); }
          drawn = L.circle(centre, { radius: number(radius) * 1000, color: "#b50909", fillOpacity: 0.1 }).addTo(shape);
        } else if (fit) { map.setView(centre, 11); }
      }
      if (fit && drawn && drawn.getBounds) { map.fitBounds(drawn.getBounds(), { padding: [20, 20] }); }
    }

    function setMode(next) {
      mode = polygonOnly ? "polygon" : next;
      scope.querySelectorAll("[data-area-mode]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.areaMode === mode));
      });
      points = [];
      if (mode === "polygon") {
        say(element, gettext("Click the map to add the points of the area, then finish the polygon."));
      } else {
        say(element, gettext("Click the map to place the centre of the area."));
      }
    }

    function finish() {
      if (points.length < 3) { say(element, gettext("A polygon needs at least three points.")); return; }
      var ring = points.map(function (p) { return [Number(fixed(p[1])), Number(fixed(p[0]))]; });
      ring.push(ring[0].slice());
      polygonField.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      setMode("point");
      var count = ring.length - 1;
      say(element, interpolate(ngettext("The area is a polygon of %s point.", "The area is a polygon of %s points.", count), [count]));
      redraw(true);
    }

    map.on("click", function (event) {
      if (mode === "polygon") {
        points.push([event.latlng.lat, event.latlng.lng]);
        say(element, interpolate(ngettext("%s point placed.", "%s points placed.", points.length), [points.length]));
        redraw(false);
        return;
      }
      lat.value = fixed(event.latlng.lat);
      lon.value = fixed(event.latlng.lng);
      if (polygonField) { polygonField.value = ""; }
      say(element, interpolate(gettext("Centre placed at %(lat)s, %(lon)s."), { lat: lat.value, lon: lon.value }, true));
      redraw(false);
    });
    scope.querySelectorAll("[data-area-mode]").forEach(function (button) {
      button.addEventListener("click", function () { setMode(button.dataset.areaMode); });
    });
    var finishButton = scope.querySelector("[data-area-finish]");
    if (finishButton) { finishButton.addEventListener("click", finish); }
    var clear = scope.querySelector("[data-area-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        [lat, lon, radius, polygonField].forEach(function (input) { if (input) { input.value = ""; } });
        setMode("point");
        say(element, gettext("The area is cleared."));
        redraw(false);
      });
    }
    [lat, lon, radius, polygonField].forEach(function (input) {
      if (input) { input.addEventListener("change", function () { redraw(true); }); }
    });
    map.setView(window.CommonGround.mapHome(element), 9);
    if (polygonOnly) { setMode("polygon"); }
    redraw(true);
    element.dataset.ready = "1";
  }

  if (typeof L !== "undefined") {
    document.querySelectorAll("[data-area-picker]").forEach(drawAreaPicker);
  }
})();
