// The one way a page sets up a map: Leaflet over the US state and county outlines served by this server
// (us-atlas, read with topojson-client), with the county that holds the community's centre highlighted (its
// state where no county does, or the centre is unknown), so a map
// shows where it is offline and loads nothing from the internet. A tile server is opt-in (MAP_TILE_URL, read
// from data-tiles). The element carries the attributes of the `base_map_attributes` template tag.
(function () {
  "use strict";
  var atlases = {};  // one download per page, however many maps it has
  var STYLE = {
    state: { color: "#565c65", weight: 1.5, fillColor: "#ffffff", fillOpacity: 1 },
    county: { color: "#a9aeb1", weight: 0.75, fill: false },
    home: { color: "#005ea2", weight: 3, fillColor: "#d9e8f6", fillOpacity: 0.8 }
  };

  function atlas(url) {
    if (!atlases[url]) {
      atlases[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error("outlines: " + response.status); }
        return response.json();
      });
    }
    return atlases[url];
  }

  // Ray casting on [longitude, latitude]: is the point inside the ring?
  function inRing(point, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > point[1]) !== (yj > point[1]) && point[0] < (xj - xi) * (point[1] - yi) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }

  function contains(feature, point) {
    var geometry = feature.geometry;
    if (!geometry) { return false; }
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    return polygons.some(function (rings) {
      return inRing(point, rings[0]) && !rings.slice(1).some(function (hole) { return inRing(point, hole); });
    });
  }

  function centre(element) {
    var lat = parseFloat(element.dataset.centerLat), lon = parseFloat(element.dataset.centerLon);
    return isFinite(lat) && isFinite(lon) ? [lat, lon] : null;
  }

  function drawOutlines(map, element) {
    if (!element.dataset.outlines || typeof topojson === "undefined") { return; }
    var tiled = Boolean(element.dataset.tiles);
    atlas(element.dataset.outlines).then(function (data) {
      var states = topojson.feature(data, data.objects.states).features;
      var state = states.filter(function (f) { return f.properties.name === element.dataset.state; })[0];
      var counties = state ? topojson.feature(data, data.objects.counties).features.filter(function (f) {
        return String(f.id).slice(0, 2) === String(state.id);
      }) : [];
      var home = null, point = centre(element);
      if (point) {
        home = counties.filter(function (f) { return contains(f, [point[1], point[0]]); })[0] || null;
      }
      home = home || state;
      var options = { pane: "outlines", interactive: false };
      if (!tiled) { L.geoJSON(states, Object.assign({ style: STYLE.state }, options)).addTo(map); }
      if (home) {
        var style = tiled ? Object.assign({}, STYLE.home, { fillOpacity: 0.15 }) : STYLE.home;
        L.geoJSON(home, Object.assign({ style: style }, options)).addTo(map);
        element.dataset.home = home.properties.name;
      }
      if (!tiled) { L.geoJSON(counties, Object.assign({ style: STYLE.county }, options)).addTo(map); }
      element.dataset.outlinesDrawn = String(states.length + counties.length);
    }).catch(function () {
      element.dataset.outlinesDrawn = "0";  // the markers still stand on the plain background
    });
  }

  function baseMap(element) {
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false });
    // Leaflet's own buttons, named in the page's language
    L.control.zoom({ zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
    map.createPane("outlines").style.zIndex = 250;  // above tiles (200), below shapes and markers (400+)
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 18, attribution: element.dataset.attribution || "" }).addTo(map);
    } else {
      map.attributionControl.addAttribution(gettext("US Census Bureau outlines (us-atlas)"));
    }
    drawOutlines(map, element);
    return map;
  }

  function home(element) {
    return centre(element) || [39.8, -98.6];
  }

  window.CommonGround = Object.assign(window.CommonGround || {}, { baseMap: baseMap, mapHome: home });
})();
