// The checkpoint's verification, with no network and nothing but the browser: a card's QR content is
// "CG1:" + a compact JWS (header.payload.signature, base64url) signed ES256 by one of the community's keys;
// the payload is raw-DEFLATEd JSON claims. The rule (docs/checkpoint.md):
//   not a CG1 code                                  -> "unreadable"
//   malformed, unknown kid, bad signature           -> "invalid"
//   iss is not this community                       -> "foreign"
//   outside nbf <= now < exp                        -> "expired"
//   rid in the revocation list of the card's key    -> "revoked"
//   the chosen activation is not current, or does not admit the card's kind (and, unless the kind is
//   "all", one of its facilities)                   -> "inactive"
//   otherwise                                       -> "valid"
// Pure: no DOM, no storage. `prepare(bundle)` imports the keys once; `verify(text, prepared, options)` checks.
(function () {
  "use strict";
  var PREFIX = "CG1:";
  var B64URL = /^[A-Za-z0-9_-]*$/;

  function base64urlBytes(text) {
    if (!B64URL.test(text)) { throw new Error("not base64url"); }
    var padded = text.replace(/-/g, "+").replace(/_/g, "/");
    while (padded.length % 4) { padded += "="; }
    var binary = atob(padded);
    // Only the canonical spelling (the last character's unused bits zero), as the server demands: one card,
    // one QR content; a changed character never reads as the same card.
    if (btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") !== text) {
      throw new Error("not canonical base64url");
    }
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function asciiBytes(text) {
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i) & 0x7f; }
    return bytes;
  }

  async function inflateRaw(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  function utf8Json(bytes) {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
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
    return (claims.fac || []).some(function (facility) { return activation.facilities.has(facility); });
  }

  // Check one scanned text. options.now: unix seconds (default: the clock); options.activation: the id the
  // officer chose (default: the only current one). Answers {result, claims (only once the signature holds),
  // activation (the id checked against, or null)}.
  async function verify(text, prepared, options) {
    options = options || {};
    var now = options.now !== undefined ? options.now : Date.now() / 1000;
    var answer = function (result, claims, activation) {
      return { result: result, claims: claims || null, activation: activation === undefined ? null : activation };
    };
    text = typeof text === "string" ? text.trim() : "";
    if (text.slice(0, PREFIX.length).toUpperCase() !== PREFIX) { return answer("unreadable"); }
    var parts = text.slice(PREFIX.length).split(".");
    if (parts.length !== 3) { return answer("invalid"); }
    var header, payload, signature;
    try {
      header = utf8Json(base64urlBytes(parts[0]));
      payload = base64urlBytes(parts[1]);
      signature = base64urlBytes(parts[2]);
    } catch (error) { return answer("invalid"); }
    if (!header || header.alg !== "ES256" || signature.length !== 64) { return answer("invalid"); }
    var key = prepared.keys.get(header.kid);
    if (!key) { return answer("invalid"); }
    var good;
    try {
      good = await crypto.subtle.verify(
        { name: "ECDSA", hash: "SHA-256" }, key, signature, asciiBytes(parts[0] + "." + parts[1])
      );
    } catch (error) { good = false; }
    if (!good) { return answer("invalid"); }
    var claims;
    try {
      claims = utf8Json(header.zip === "DEF" ? await inflateRaw(payload) : payload);
    } catch (error) { return answer("invalid"); }
    if (!claims || typeof claims !== "object") { return answer("invalid"); }
    if (claims.iss !== prepared.community) { return answer("foreign", claims); }
    if (!(claims.nbf <= now && now < claims.exp)) { return answer("expired", claims); }
    var revoked = prepared.revoked.get(header.kid);
    if (revoked && revoked.has(claims.rid)) { return answer("revoked", claims); }
    var current = currentActivations(prepared, now);
    var chosen = null;
    if (options.activation !== undefined && options.activation !== null) {
      chosen = current.find(function (a) { return a.id === options.activation; }) || null;
    } else if (current.length === 1) {
      chosen = current[0];
    }
    if (!chosen || !admits(chosen, claims)) { return answer("inactive", claims, chosen ? chosen.id : null); }
    return answer("valid", claims, chosen.id);
  }

  window.CommonGround = window.CommonGround || {};
  window.CommonGround.checkpointVerify = {
    prepare: prepare, verify: verify, currentActivations: currentActivations, RESULTS: [
      "valid", "expired", "revoked", "inactive", "foreign", "invalid", "unreadable"
    ]
  };
})();
