// The incident pages' maps and the board's live refresh (the incident form's area picker is area-picker.js). No inline script (the Content-Security-Policy):
// everything reads data attributes and JSON script elements; its words come from the djangojs catalogue (gettext). Each map is set up by base-map.js (the offline
// outlines, or tiles where a server is set). Every map says nothing the page's lists and fields do not say too.
(function () {
  "use strict";
  var PRIORITY = { 1: "#b50909", 2: "#e66f0e", 3: "#8a6d00", 4: "#005ea2" };

  function baseMap(element) { return window.CommonGround.baseMap(element); }
  function home(element) { return window.CommonGround.mapHome(element); }

  function popup(label, url, detail) {
    var box = document.createElement("div");
    var link = document.createElement(url ? "a" : "strong");
    if (url) { link.href = url; }
    link.textContent = label;
    box.appendChild(link);
    if (detail) {
      var line = document.createElement("div");
      line.textContent = detail;
      box.appendChild(line);
    }
    return box;
  }

  function areaLayer(area) {
    if (!area) { return null; }
    var style = { color: "#1b1b1b", weight: 2, dashArray: "6 4", fillOpacity: 0.05 };
    if (area.type === "polygon" && area.points && area.points.length) { return L.polygon(area.points, style); }
    if (area.type === "circle" && area.radius_m > 0) { return L.circle([area.lat, area.lon], Object.assign({ radius: area.radius_m }, style)); }
    if (area.type === "circle") { return L.circleMarker([area.lat, area.lon], style); }
    return null;
  }

  // The board (and a request's page): area, requests by priority (hollow once served or closed), resources
  // proposed (outlined squares) or committed (filled squares), each joined to the requests it serves.
  function drawBoard(element) {
    var map = baseMap(element);
    var layer = L.layerGroup().addTo(map);
    var fitted = false;

    function render() {
      var source = document.getElementById(element.dataset.source);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      layer.clearLayers();
      var bounds = [];
      var area = areaLayer(data.area);
      if (area) {
        area.addTo(layer);
        if (data.area.type === "circle" && data.area.radius_m > 0) {
          if (!fitted) { map.setView([data.area.lat, data.area.lon], 10); }  // a circle measures itself on a map with a view
        }
      }
      (data.resources || []).forEach(function (r) {
        (r.to || []).forEach(function (to) {
          L.polyline([[r.lat, r.lon], to], { color: r.committed ? "#162e51" : "#71767a", weight: r.committed ? 3 : 1.5, dashArray: r.committed ? null : "4 4" }).addTo(layer);
        });
        var icon = L.divIcon({ className: "board-resource" + (r.committed ? " board-resource--committed" : ""), iconSize: [14, 14] });
        L.marker([r.lat, r.lon], { icon: icon, keyboard: false, title: r.label }).bindPopup(popup(r.label, r.url, r.detail)).addTo(layer);
        bounds.push([r.lat, r.lon]);
      });
      (data.requests || []).forEach(function (q) {
        var colour = PRIORITY[q.priority] || "#005ea2";
        L.circleMarker([q.lat, q.lon], { radius: 9, color: colour, weight: 3, fillColor: colour, fillOpacity: q.open ? 0.8 : 0 })
          .bindPopup(popup(q.label, q.url, q.detail)).addTo(layer);
        bounds.push([q.lat, q.lon]);
      });
      if (!fitted) {
        if (area && area.getBounds) {
          try { bounds.push.apply(bounds, [area.getBounds().getSouthWest(), area.getBounds().getNorthEast()]); } catch (e) { /* a marker has no bounds */ }
        } else if (area && area.getLatLng) {
          bounds.push(area.getLatLng());
        }
        if (bounds.length) { map.fitBounds(L.latLngBounds(bounds), { padding: [20, 20], maxZoom: 13 }); } else { map.setView(home(element), 9); }
        fitted = true;
      }
      element.dataset.ready = String((data.requests || []).length + (data.resources || []).length);
    }
    render();
    document.body.addEventListener("htmx:afterSettle", function (event) {
      if (event.target && event.target.id === "board-live") { render(); }
    });
  }

  function field(id) { return id ? document.getElementById(id) : null; }
  function number(input) { var v = input ? parseFloat(input.value) : NaN; return isFinite(v) ? v : null; }
  function fixed(v) { return String(Math.round(v * 1e6) / 1e6); }
  function say(element, text) { var status = field(element.dataset.status); if (status) { status.textContent = text; } }

  // A request's delivery point: a click fills latitude and longitude; the incident's area is drawn for reference.
  function drawPointPicker(element) {
    var map = baseMap(element);
    var lat = field(element.dataset.lat), lon = field(element.dataset.lon);
    var marker = null;
    var area = null;
    var source = document.getElementById(element.dataset.area);
    if (source) { area = areaLayer(JSON.parse(source.textContent)); }
    map.setView(home(element), 9);
    if (area) {
      area.addTo(map);
      if (area.getBounds) { try { map.fitBounds(area.getBounds(), { padding: [20, 20] }); } catch (e) { /* no bounds */ } }
    }
    function place(fit) {
      if (marker) { map.removeLayer(marker); marker = null; }
      if (number(lat) !== null && number(lon) !== null) {
        marker = L.circleMarker([number(lat), number(lon)], { radius: 8, color: "#b50909", fillOpacity: 0.7 }).addTo(map);
        if (fit) { map.setView([number(lat), number(lon)], 12); }
      }
    }
    map.on("click", function (event) {
      lat.value = fixed(event.latlng.lat);
      lon.value = fixed(event.latlng.lng);
      say(element, interpolate(gettext("Delivery point placed at %(lat)s, %(lon)s."), { lat: lat.value, lon: lon.value }, true));
      place(false);
    });
    [lat, lon].forEach(function (input) { if (input) { input.addEventListener("change", function () { place(true); }); } });
    place(true);
    element.dataset.ready = "1";
  }

  // The board refreshes itself: htmx polls its live part, and the server answers 204 when nothing changed.
  // A poll waits while the reader is typing a reason or has one open, so that nothing they do is swept away.
  function busy(live) {
    var active = document.activeElement;
    if (active && live.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) { return true; }
    return Array.prototype.some.call(live.querySelectorAll("details"), function (d) { return d.open; });
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var live = event.target;
    if (live && live.id === "board-live" && busy(live)) { event.preventDefault(); }
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    // A signed-out reader is sent to the login page: never swap that into the board.
    var xhr = event.detail.xhr;
    if (event.target && event.target.id === "board-live" && xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login/") !== -1) {
      event.detail.shouldSwap = false;
    }
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "board-live") {
      var status = document.getElementById("board-status");
      if (status) { status.textContent = interpolate(gettext("The board was updated at %s."), [new Date().toLocaleTimeString()]); }
    }
  });

  if (typeof L !== "undefined") {
    document.querySelectorAll("[data-board-map]").forEach(drawBoard);
    document.querySelectorAll("[data-point-picker]").forEach(drawPointPicker);
  }
})();
