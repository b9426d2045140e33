// The checkpoint's service worker (docs/checkpoint.md). Loaded by /c/<slug>/checkpoint/sw.js, which sets
// self.CHECKPOINT = {page, bundle, assets} first. It keeps the page, every file the page loads and the
// community's bundle (keys, revocation lists, activations), so the page opens and verifies with no network:
//   the page       network first, the kept copy when there is no network;
//   the bundle     revalidated on every request with If-None-Match (a 304 costs no download); the answer
//                  carries X-Checkpoint-Checked-At, when the server last confirmed it, so the page can say
//                  how old its lists are;
//   other files    the kept copy first, refreshed from the network behind it.
/* global self, caches */
(function () {
  "use strict";
  var SETTINGS = self.CHECKPOINT;
  var CACHE = "checkpoint-v1:" + SETTINGS.page;
  var CHECKED = "X-Checkpoint-Checked-At";

  function absolute(url) { return new URL(url, self.location.origin).href; }
  var PAGE = absolute(SETTINGS.page);
  var BUNDLE = absolute(SETTINGS.bundle);

  self.addEventListener("install", function (event) {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      // One missing file must not stop the rest from being kept.
      return Promise.all([SETTINGS.page].concat(SETTINGS.assets).map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok) { return cache.put(url, response); }
        }).catch(function () {});
      })).then(function () { return refreshBundle(); }).catch(function () {});
    }).then(function () { return self.skipWaiting(); }));
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("checkpoint-") === 0 && name.endsWith(":" + SETTINGS.page) && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); }));
  });

  function stamped(response, checkedAt) {
    var headers = new Headers(response.headers);
    headers.set(CHECKED, checkedAt);
    return response.arrayBuffer().then(function (body) {
      return new Response(body, { status: 200, statusText: "OK", headers: headers });
    });
  }

  async function refreshBundle() {
    var cache = await caches.open(CACHE);
    var kept = await cache.match(BUNDLE);
    var headers = { Accept: "application/json" };
    if (kept && kept.headers.get("ETag")) { headers["If-None-Match"] = kept.headers.get("ETag"); }
    try {
      var response = await fetch(BUNDLE, { headers: headers, credentials: "same-origin", cache: "no-store" });
      var now = new Date().toISOString();
      if (response.status === 304 && kept) {
        var confirmed = await stamped(kept, now);
        await cache.put(BUNDLE, confirmed.clone());
        return confirmed;
      }
      if (response.ok) {
        var fresh = await stamped(response, now);
        await cache.put(BUNDLE, fresh.clone());
        return fresh;
      }
      return kept || response;
    } catch (error) {
      if (kept) { return kept; }
      throw error;
    }
  }

  async function pageFirstFromNetwork(request) {
    var cache = await caches.open(CACHE);
    try {
      var response = await fetch(request);
      if (response.ok) { await cache.put(PAGE, response.clone()); }
      return response;
    } catch (error) {
      var kept = await cache.match(PAGE);
      if (kept) { return kept; }
      throw error;
    }
  }

  async function keptFirst(request) {
    var cache = await caches.open(CACHE);
    var kept = await cache.match(request, { ignoreVary: true });
    var network = fetch(request).then(function (response) {
      if (response.ok && response.type === "basic") { cache.put(request, response.clone()); }
      return response;
    });
    if (kept) {
      network.catch(function () {});
      return kept;
    }
    return network;
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET" || !request.url.startsWith(self.location.origin)) { return; }
    var url = request.url.split("#")[0];
    if (url === BUNDLE) {
      event.respondWith(refreshBundle());
    } else if (url.split("?")[0] === PAGE) {
      event.respondWith(pageFirstFromNetwork(request));
    } else if (request.destination && request.destination !== "document") {
      event.respondWith(keptFirst(request));
    }
  });
})();
