// The checkpoint's verification, with no network and nothing but the browser. The rule is written once, in
// docs/checkpoint.md ("The verdict"), and the server's online check (credentials/verification.py) follows
// the same text; commonground/checkpoint/tests/test_parity.py runs one corpus through both. In order:
//   not a string, surrounding " \t\r\n" aside longer than 4096, not "CG1:" exactly (case counts), not three
//   canonical base64url parts, a header that is not a UTF-8 JSON object with alg "ES256", zip "DEF" and a
//   string kid                                               -> "unreadable"
//   a kid the bundle does not publish                        -> "foreign"
//   a signature that does not hold                           -> "invalid"
//   claims that are not one raw DEFLATE stream of at most 8192 bytes of a UTF-8 JSON object with the
//   claims' types (strings; integers written as such, |n| < 2^53; fac a list of them)  -> "invalid"
//   iss is not this community                                -> "foreign"
//   outside nbf <= floor(now) < exp                          -> "expired"
//   rid in the revocation list of the card's key             -> "revoked"
//   no current activation (the chosen one, if any) admits its kind and (unless "all") a facility -> "inactive"
//   otherwise                                                -> "valid"
// Pure: no DOM, no storage. `prepare(bundle)` imports the keys once; `verify(text, prepared, options)` checks;
// `bundleIsOlder(kept, fresh)` and `listsAge(...)` decide about a downloaded bundle and how old one is.
(function () {
  "use strict";
  var PREFIX = "CG1:";
  var MAX_CODE_LENGTH = 4096;
  var MAX_CLAIMS_BYTES = 8192;
  var B64URL = /^[A-Za-z0-9_-]*$/;
  var EDGES = /^[ \t\r\n]+|[ \t\r\n]+$/g;
  var STALE_SECONDS = 24 * 3600;
  var STRINGS = ["iss", "id", "n", "o", "f", "k"];
  var INTEGERS = ["rid", "nbf", "exp"];
  // A number written with a fraction or an exponent ("1.0", "1e3") is not an integer claim, though
  // JSON.parse makes it one; where the browser gives the source text (Chromium 114+), it is marked.
  var NOT_INTEGER = Object.freeze({ notInteger: true });

  function base64urlBytes(text) {
    if (!B64URL.test(text) || text.length % 4 === 1) { throw new Error("not base64url"); }
    var padded = text.replace(/-/g, "+").replace(/_/g, "/");
    while (padded.length % 4) { padded += "="; }
    var binary = atob(padded);
    // Only the canonical spelling (the last character's unused bits zero): one card, one QR content; a
    // changed character never reads as the same card.
    if (btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") !== text) {
      throw new Error("not canonical base64url");
    }
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function asciiBytes(text) {
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    return bytes;
  }

  // The raw DEFLATE stream, read no further than MAX_CLAIMS_BYTES + 1 bytes (a small code may hold a bomb).
  async function inflateRaw(bytes) {
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
    var chunks = [], length = 0;
    for (;;) {
      var step = await reader.read();
      if (step.done) { break; }
      chunks.push(step.value);
      length += step.value.length;
      if (length > MAX_CLAIMS_BYTES) {
        reader.cancel().catch(function () {});
        throw new Error("claims too large");
      }
    }
    var out = new Uint8Array(length), at = 0;
    chunks.forEach(function (chunk) { out.set(chunk, at); at += chunk.length; });
    return out;
  }

  function isInteger(value) { return typeof value === "number" && Number.isSafeInteger(value); }

  // The header, read as the server reads it: UTF-8 (a leading byte-order mark allowed), strict JSON.
  function readHeader(bytes) {
    var header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    if (!header || typeof header !== "object" || Array.isArray(header)) { throw new Error("not an object"); }
    if (header.alg !== "ES256" || header.zip !== "DEF" || typeof header.kid !== "string") {
      throw new Error("unexpected header");
    }
    return header;
  }

  // The claims: UTF-8 with no byte-order mark, a JSON object, each claim of its type.
  function readClaims(bytes) {
    var text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    var claims = JSON.parse(text, function (key, value, context) {
      if (typeof value === "number" && context && typeof context.source === "string" && /[.eE]/.test(context.source)) {
        return NOT_INTEGER;
      }
      return value;
    });
    if (!claims || typeof claims !== "object" || Array.isArray(claims)) { throw new Error("not an object"); }
    var typed = STRINGS.every(function (name) { return typeof claims[name] === "string"; }) &&
      INTEGERS.every(function (name) { return isInteger(claims[name]); }) &&
      Array.isArray(claims.fac) && claims.fac.every(isInteger);
    if (!typed) { throw new Error("claims of the wrong type"); }
    return claims;
  }

  function seconds(iso) {
    var ms = Date.parse(iso);
    return isNaN(ms) ? NaN : ms / 1000;
  }

  // Import the bundle's keys (once per bundle) and index its revocations by key id.
  async function prepare(bundle) {
    var keys = new Map();
    var revoked = new Map();
    var list = (bundle && bundle.keys) || [];
    for (var i = 0; i < list.length; i++) {
      var jwk = list[i];
      if (!jwk || jwk.kty !== "EC" || jwk.crv !== "P-256" || typeof jwk.kid !== "string") { continue; }
      try {
        var key = await crypto.subtle.importKey(
          "jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, ext: true },
          { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]
        );
        keys.set(jwk.kid, key);
      } catch (error) { /* a key this browser cannot read verifies nothing */ }
    }
    ((bundle && bundle.revocations) || []).forEach(function (entry) {
      var set = revoked.get(entry.kid) || new Set();
      (entry.rids || []).forEach(function (rid) { set.add(rid); });
      revoked.set(entry.kid, set);
    });
    var activations = ((bundle && bundle.activations) || []).map(function (activation) {
      return {
        id: activation.id, name: activation.name, kinds: activation.kinds || [],
        facilities: new Set(activation.facilities || []),
        starts: seconds(activation.starts_at), ends: seconds(activation.ends_at)
      };
    });
    var prepared = { community: bundle && bundle.community, keys: keys, revoked: revoked, activations: activations };
    await warmUp(prepared);
    return prepared;
  }

  // The browser sets up its ECDSA verifier and its inflater on first use (tens of milliseconds on a slow
  // phone): do it now, while nobody waits at the barrier, so the first card is as quick as the next.
  async function warmUp(prepared) {
    var first = prepared.keys.values().next().value;
    try {
      if (first) {
        await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, first, new Uint8Array(64), new Uint8Array(1));
      }
      await inflateRaw(new Uint8Array([3, 0]));  // an empty raw DEFLATE stream
    } catch (error) { /* only a warm-up */ }
  }

  function currentActivations(prepared, now) {
    return prepared.activations.filter(function (a) { return a.starts <= now && now < a.ends; });
  }

  function admits(activation, claims) {
    if (activation.kinds.indexOf(claims.k) === -1) { return false; }
    if (claims.k === "all") { return true; }
    return claims.fac.some(function (facility) { return activation.facilities.has(facility); });
  }

  // Check one scanned text. options.now: unix seconds (default: the clock); options.activation: the id the
  // officer chose (default: any current one). Answers {result, claims (only for expired, revoked, inactive
  // and valid: a card that is not this community's shows nothing), activation (the admitting one's id; for
  // "inactive" the chosen one's or null)}.
  async function verify(text, prepared, options) {
    options = options || {};
    var now = options.now !== undefined ? options.now : Date.now() / 1000;
    var chosen = options.activation === undefined ? null : options.activation;
    var answer = function (result, claims, activation) {
      return { result: result, claims: claims || null, activation: activation === undefined ? null : activation };
    };
    if (typeof text !== "string") { return answer("unreadable"); }
    text = text.replace(EDGES, "");
    if (text.length > MAX_CODE_LENGTH || text.slice(0, PREFIX.length) !== PREFIX) { return answer("unreadable"); }
    var parts = text.slice(PREFIX.length).split(".");
    if (parts.length !== 3) { return answer("unreadable"); }
    var header, payload, signature;
    try {
      header = readHeader(base64urlBytes(parts[0]));
      payload = base64urlBytes(parts[1]);
      signature = base64urlBytes(parts[2]);
    } catch (error) { return answer("unreadable"); }
    var key = prepared.keys.get(header.kid);
    if (!key) { return answer("foreign"); }
    var good = false;
    if (signature.length === 64) {
      try {
        good = await crypto.subtle.verify(
          { name: "ECDSA", hash: "SHA-256" }, key, signature, asciiBytes(parts[0] + "." + parts[1])
        );
      } catch (error) { good = false; }
    }
    if (!good) { return answer("invalid"); }
    var claims;
    try {
      claims = readClaims(await inflateRaw(payload));
    } catch (error) { return answer("invalid"); }
    if (claims.iss !== prepared.community) { return answer("foreign"); }
    var second = Math.floor(now);
    if (!(claims.nbf <= second && second < claims.exp)) { return answer("expired", claims); }
    var revoked = prepared.revoked.get(header.kid);
    if (revoked && revoked.has(claims.rid)) { return answer("revoked", claims); }
    var current = currentActivations(prepared, now).filter(function (a) { return chosen === null || a.id === chosen; });
    var admitting = current.find(function (a) { return admits(a, claims); });
    if (!admitting) { return answer("inactive", claims, chosen); }
    return answer("valid", claims, admitting.id);
  }

  function counters(bundle) {
    var map = new Map();
    ((bundle && bundle.revocations) || []).forEach(function (entry) { map.set(entry.kid, entry.counter); });
    return map;
  }

  // A downloaded bundle is older than the kept one when any key both publish has a lower revocation counter
  // in it (a stale copy from a cache on the way): it is never taken, or a revoked card would admit again.
  function bundleIsOlder(kept, fresh) {
    var before = counters(kept);
    return Array.from(counters(fresh)).some(function (pair) {
      return before.has(pair[0]) && typeof pair[1] === "number" && pair[1] < before.get(pair[0]);
    });
  }

  // The same keys, revocation lists and activations (generated_at aside): nothing to prepare again.
  function sameLists(kept, fresh) {
    var lists = function (b) { return JSON.stringify([b.community, b.keys, b.revocations, b.activations]); };
    return Boolean(kept && fresh) && lists(kept) === lists(fresh);
  }

  // How old the lists are: the time since the server last confirmed them (a download or a 304), never the
  // time they were generated (a 304 confirms an old copy). Stale after a day.
  function listsAge(confirmedAt, nowMs) {
    var age = Math.max(0, ((nowMs === undefined ? Date.now() : nowMs) - Date.parse(confirmedAt)) / 1000);
    if (isNaN(age)) { return { seconds: null, stale: true }; }
    return { seconds: Math.floor(age), stale: age > STALE_SECONDS };
  }

  window.CommonGround = window.CommonGround || {};
  window.CommonGround.checkpointVerify = {
    prepare: prepare, verify: verify, currentActivations: currentActivations, bundleIsOlder: bundleIsOlder,
    sameLists: sameLists, listsAge: listsAge, RESULTS: [
      "valid", "expired", "revoked", "inactive", "foreign", "invalid", "unreadable"
    ]
  };
})();
