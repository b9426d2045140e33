// The checkpoint page (docs/checkpoint.md): reads a card's QR code (camera, photo or typed), verifies it with
// checkpoint-verify.js, shows green or red with the reason, logs each check in IndexedDB and uploads the log
// when the network returns. Its two addresses come from the page's data- attributes (data-bundle-url,
// data-upload-url); its service worker keeps the page, its files and the bundle for use offline.
(function () {
  "use strict";
  var root = document.getElementById("checkpoint");
  if (!root || !window.CommonGround || !window.CommonGround.checkpointVerify || !window.CommonGround.checkpointStore) { return; }
  var V = window.CommonGround.checkpointVerify;
  var COMMUNITY = root.dataset.community;
  var BUNDLE_URL = root.dataset.bundleUrl;
  var UPLOAD_URL = root.dataset.uploadUrl;
  var SIGNED_IN = root.dataset.signedIn === "1";
  var LOG_SHOWN = 50;
  var UPLOAD_BATCH = 200;
  var REFRESH_MS = 5 * 60 * 1000;
  var $ = function (id) { return document.getElementById(id); };

  var state = { bundle: null, prepared: null, checkedAt: null, lastEntry: null, uploading: false, refused: null };

  var RESULT_TEXT = {
    valid: [gettext("Valid: admit"), gettext("The card is signed by this community, in date, not revoked, and admitted by the activation in force.")],
    expired: [gettext("Denied: expired"), gettext("The card is outside its validity period (expired, or not valid yet).")],
    revoked: [gettext("Denied: revoked"), gettext("The card has been revoked (withdrawn or replaced by a newer one).")],
    inactive: [gettext("Denied: not active here and now"), gettext("No activation in force at this checkpoint admits this card's kind or facility at this time.")],
    foreign: [gettext("Denied: not this community's"), gettext("The card is not a credential of this community.")],
    invalid: [gettext("Denied: signature invalid"), gettext("The card is not signed by this community's keys, or its content was altered. It may be forged.")],
    unreadable: [gettext("Not a credential code"), gettext("This code is not a Common Ground re-entry credential.")]
  };
  var KIND_TEXT = {
    standard: gettext("Standard (one person, one facility)"), flex: gettext("Flex (a facility's critical worker)"),
    multi: gettext("Multi-facility"), all: gettext("All areas"), placard: gettext("Vehicle placard")
  };

  var store = window.CommonGround.checkpointStore(COMMUNITY); // IndexedDB: the bundle and the check log
  var metaGet = store.metaGet, metaPut = store.metaPut, logPut = store.logPut, logAll = store.logAll;

  // ---- the bundle ----------------------------------------------------------------------------------------
  async function useBundle(bundle, checkedAt) {
    state.prepared = await V.prepare(bundle);
    state.bundle = bundle;
    state.checkedAt = checkedAt;
    fillActivations();
    showFreshness();
  }

  // Take a downloaded bundle unless it is older than the kept one (a revocation counter went back: refused,
  // the kept lists stay); the same lists only move the time they were last confirmed.
  async function refreshBundle() {
    try {
      var response = await fetch(BUNDLE_URL, {
        credentials: "same-origin", cache: "no-cache", headers: { Accept: "application/json" }
      });
      if (!response.ok) { throw new Error(String(response.status)); }
      var bundle = await response.json();
      if (!bundle || bundle.community !== COMMUNITY) { throw new Error("another community's bundle"); }
      // The service worker says when the server last confirmed its copy; straight from the network it is now.
      var checkedAt = response.headers.get("X-Checkpoint-Checked-At") || new Date().toISOString();
      if (state.bundle && V.bundleIsOlder(state.bundle, bundle)) {
        state.refused = bundle.generated_at || "?";
        showFreshness();
        return;
      }
      state.refused = null;
      if (state.bundle && V.sameLists(state.bundle, bundle)) {
        if (Date.parse(checkedAt) > Date.parse(state.checkedAt)) {
          state.checkedAt = checkedAt;
          await metaPut("bundle", { bundle: state.bundle, checkedAt: checkedAt });
        }
        showFreshness();
        return;
      }
      await metaPut("bundle", { bundle: bundle, checkedAt: checkedAt });
      await useBundle(bundle, checkedAt);
    } catch (error) {
      showFreshness();
    }
  }

  function age(iso) {
    var minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    if (minutes < 1) { return gettext("less than a minute ago"); }
    if (minutes < 120) { return interpolate(ngettext("%s minute ago", "%s minutes ago", minutes), [minutes]); }
    var hours = Math.round(minutes / 60);
    if (hours < 48) { return interpolate(ngettext("%s hour ago", "%s hours ago", hours), [hours]); }
    var days = Math.round(hours / 24);
    return interpolate(ngettext("%s day ago", "%s days ago", days), [days]);
  }

  // One measure of how old the lists are, shown and used alike (V.listsAge): since the server last confirmed them.
  function showFreshness() {
    var element = $("cp-freshness");
    $("cp-network").textContent = navigator.onLine ? gettext("Network: connected.") : gettext("Network: none. Checking with the lists on this device.");
    if (!state.bundle) { element.dataset.state = "none"; return; }
    var lists = V.listsAge(state.checkedAt);
    element.dataset.state = lists.stale ? "stale" : "fresh";
    element.dataset.ageSeconds = lists.seconds === null ? "" : String(lists.seconds);
    element.dataset.counters = JSON.stringify((state.bundle.revocations || []).map(function (r) { return [r.kid, r.counter]; }));
    element.textContent = interpolate(
      gettext("Lists issued %(issued)s (%(issued_age)s); last confirmed with the server %(checked_age)s. Keys: %(keys)s, revoked cards: %(revoked)s, activations: %(activations)s."),
      {
        issued: new Date(state.bundle.generated_at).toLocaleString(), issued_age: age(state.bundle.generated_at),
        checked_age: age(state.checkedAt),
        keys: state.prepared.keys.size,
        revoked: (state.bundle.revocations || []).reduce(function (n, r) { return n + (r.rids || []).length; }, 0),
        activations: state.prepared.activations.length
      }, true
    ) + (lists.stale ? " " + gettext("These lists are more than a day old: refresh them with a network when you can.") : "") +
      (state.refused ? " " + gettext("An older copy of the lists was downloaded and refused: these stay.") : "");
  }

  function fillActivations() {
    var select = $("cp-activation");
    var previous = select.value || localStorage.getItem("checkpoint:" + COMMUNITY + ":activation") || "";
    var current = V.currentActivations(state.prepared, Date.now() / 1000);
    select.replaceChildren();
    if (!current.length) {
      select.append(new Option(gettext("No activation is in force now: every card is denied"), ""));
    }
    current.forEach(function (activation) { select.append(new Option(activation.name, String(activation.id))); });
    if (current.some(function (a) { return String(a.id) === previous; })) { select.value = previous; }
  }

  function chosenActivation() {
    var value = $("cp-activation").value;
    return value ? Number(value) : null;
  }

  // ---- checking ------------------------------------------------------------------------------------------
  async function check(text, source) {
    if (!state.prepared) {
      showVerdict({ result: "unreadable", claims: null }, null);
      $("cp-reason").textContent = gettext("This device has no lists yet: open this page once with a network.");
      return null;
    }
    var started = performance.now();
    var outcome = await V.verify(text, state.prepared, { activation: chosenActivation() });
    var elapsed = performance.now() - started;
    var entry = {
      client_id: crypto.randomUUID(), community: COMMUNITY, checked_at: new Date().toISOString(),
      credential_id: outcome.claims && outcome.result !== "invalid" ? String(outcome.claims.id) : null,
      result: outcome.result, activation: outcome.activation, note: "", uploaded: false, source: source
    };
    state.lastEntry = entry;
    showVerdict(outcome, elapsed);
    await logPut(entry);
    await showLog();
    if (navigator.onLine) { upload(); }
    return entry;
  }

  function showVerdict(outcome, elapsed) {
    var text = RESULT_TEXT[outcome.result];
    var section = $("cp-result");
    section.dataset.result = outcome.result;
    section.className = "checkpoint__result checkpoint__result--" + (outcome.result === "valid" ? "valid" : "denied");
    $("cp-result-heading").textContent = text[0];
    // A green from lists more than a day old says so: a revocation since then is not on them.
    var stale = outcome.result === "valid" && state.checkedAt && V.listsAge(state.checkedAt).stale;
    $("cp-reason").textContent = text[1] + (stale ? " " + gettext("These lists are more than a day old: refresh them with a network when you can.") : "");
    section.dataset.stale = stale ? "1" : "0";
    var details = $("cp-details");
    details.replaceChildren();
    var claims = outcome.claims;
    if (claims && outcome.result !== "invalid") {
      [
        [gettext("Holder"), claims.n], [gettext("Organization"), claims.o], [gettext("Facility"), claims.f],
        [gettext("Kind"), KIND_TEXT[claims.k] || claims.k],
        [gettext("Valid until"), new Date(claims.exp * 1000).toLocaleString()], [gettext("Credential"), claims.id]
      ].forEach(function (pair) {
        var dt = document.createElement("dt"), dd = document.createElement("dd");
        dt.textContent = pair[0];
        dd.textContent = pair[1] === undefined || pair[1] === null ? "—" : String(pair[1]);
        details.append(dt, dd);
      });
      details.hidden = false;
    } else {
      details.hidden = true;
    }
    $("cp-timing").textContent = elapsed === null ? "" : interpolate(gettext("Verified on this device in %s ms."), [elapsed.toFixed(1)]);
    if (elapsed !== null) { section.dataset.verifyMs = elapsed.toFixed(3); }
    $("cp-report-form").hidden = outcome.result === "valid";
    $("cp-note").value = "";
    $("cp-report-status").textContent = "";
    section.focus();
  }

  async function reportDenial(event) {
    event.preventDefault();
    var entry = state.lastEntry;
    if (!entry || entry.result === "valid") { return; }
    var note = $("cp-note").value.trim() || gettext("Denial reported from the checkpoint.");
    if (entry.uploaded) {  // already sent: the report is a log entry of its own
      entry = Object.assign({}, entry, { client_id: crypto.randomUUID(), checked_at: new Date().toISOString(), uploaded: false });
    }
    entry.note = note.slice(0, 1000);
    entry.reported = true;
    state.lastEntry = entry;
    await logPut(entry);
    $("cp-report-status").textContent = navigator.onLine
      ? gettext("Denial reported.") : gettext("Denial reported: it will be sent when the network returns.");
    await showLog();
    if (navigator.onLine) { upload(); }
  }

  // ---- the log -------------------------------------------------------------------------------------------
  async function showLog() {
    var rows = await logAll();
    var pending = rows.filter(function (row) { return !row.uploaded; }).length;
    var body = $("cp-log-rows");
    body.replaceChildren();
    rows.slice(0, LOG_SHOWN).forEach(function (row) {
      var tr = document.createElement("tr");
      [new Date(row.checked_at).toLocaleString(), RESULT_TEXT[row.result][0], row.credential_id || "—", row.note || "—",
        row.uploaded ? gettext("yes") : gettext("not yet")].forEach(function (value, index) {
        var cell = document.createElement(index === 0 ? "th" : "td");
        if (index === 0) { cell.scope = "row"; }
        cell.textContent = value;
        tr.append(cell);
      });
      tr.dataset.result = row.result;
      body.append(tr);
    });
    var status = $("cp-log-status");
    status.dataset.pending = String(pending);
    status.textContent = pending
      ? interpolate(ngettext("%s check waits to be uploaded.", "%s checks wait to be uploaded.", pending), [pending])
      : (rows.length ? gettext("Every check has been uploaded.") : gettext("No checks on this device yet."));
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function upload() {
    if (state.uploading || !SIGNED_IN || !navigator.onLine) { return; }
    state.uploading = true;
    try {
      for (;;) {
        var pending = (await logAll()).filter(function (row) { return !row.uploaded; }).reverse().slice(0, UPLOAD_BATCH);
        if (!pending.length) { break; }
        var response = await fetch(UPLOAD_URL, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({
            community: COMMUNITY,
            checks: pending.map(function (row) {
              return {
                client_id: row.client_id, checked_at: row.checked_at, credential_id: row.credential_id,
                result: row.result, activation: row.activation, note: row.note
              };
            })
          })
        });
        if (response.status !== 201 && response.status !== 200) {
          $("cp-log-status").textContent = response.status === 401 || response.status === 403
            ? gettext("The log could not be uploaded: sign in as a member of this community.")
            : gettext("The log could not be uploaded now; it stays on this device.");
          return;
        }
        for (var i = 0; i < pending.length; i++) { pending[i].uploaded = true; await logPut(pending[i]); }
      }
      await showLog();
    } catch (error) {
      /* the network went away: the log stays and is sent next time */
    } finally {
      state.uploading = false;
    }
  }

  // ---- reading a code: camera, photo, typed -------------------------------------------------------------
  function decode(imageData, attempts) {
    var code = window.jsQR(imageData.data, imageData.width, imageData.height, { inversionAttempts: attempts });
    return code ? code.data : null;
  }

  async function checkPhoto() {
    var file = $("cp-photo").files[0];
    if (!file) { return; }
    var bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (error) {
      showVerdict({ result: "unreadable", claims: null }, null);
      $("cp-reason").textContent = gettext("This file is not a picture this browser can read.");
      return;
    }
    var scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    var text = decode(context.getImageData(0, 0, canvas.width, canvas.height), "attemptBoth");
    $("cp-photo").value = "";
    if (text === null) {
      showVerdict({ result: "unreadable", claims: null }, null);
      $("cp-reason").textContent = gettext("No QR code was found in this picture: take it again, closer and sharper.");
      return;
    }
    await check(text, "photo");
  }

  var camera = { stream: null, canvas: null, last: "", lastAt: 0, busy: false };
  async function startCamera() {
    var status = $("cp-camera-status");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status.textContent = gettext("This browser offers no camera here: use a photo or type the code.");
      return;
    }
    try {
      camera.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      status.textContent = gettext("The camera could not be opened: use a photo or type the code.");
      return;
    }
    var video = $("cp-video");
    video.srcObject = camera.stream;
    video.hidden = false;
    $("cp-camera-stop").hidden = false;
    $("cp-camera-start").hidden = true;
    status.textContent = gettext("Hold the card's code in front of the camera.");
    await video.play();
    camera.canvas = camera.canvas || document.createElement("canvas");
    requestAnimationFrame(scanFrame);
  }

  function stopCamera() {
    if (camera.stream) { camera.stream.getTracks().forEach(function (track) { track.stop(); }); }
    camera.stream = null;
    $("cp-video").hidden = true;
    $("cp-camera-stop").hidden = true;
    $("cp-camera-start").hidden = false;
    $("cp-camera-status").textContent = "";
  }

  function scanFrame() {
    if (!camera.stream || camera.busy) { return; }
    var video = $("cp-video");
    if (video.readyState >= 2 && video.videoWidth) {
      var scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
      var canvas = camera.canvas;
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var text = decode(context.getImageData(0, 0, canvas.width, canvas.height), "dontInvert");
      // The same card held in front of the camera is one check, not thirty a second.
      if (text !== null && (text !== camera.last || Date.now() - camera.lastAt > 5000)) {
        camera.last = text;
        camera.lastAt = Date.now();
        // No frame is decoded while the card is verified: the verdict comes first.
        camera.busy = true;
        check(text, "camera").finally(function () { camera.busy = false; requestAnimationFrame(scanFrame); });
        return;
      }
    }
    requestAnimationFrame(scanFrame);
  }

  // ---- start ---------------------------------------------------------------------------------------------
  function registerWorker() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(root.dataset.serviceWorkerUrl).catch(function () { /* works online without */ });
  }

  async function start() {
    root.hidden = false;
    $("cp-result").tabIndex = -1;
    $("cp-paste-form").addEventListener("submit", function (event) {
      event.preventDefault();
      check($("cp-paste").value, "typed");
    });
    $("cp-photo").addEventListener("change", checkPhoto);
    $("cp-camera-start").addEventListener("click", startCamera);
    $("cp-camera-stop").addEventListener("click", stopCamera);
    $("cp-report-form").addEventListener("submit", reportDenial);
    $("cp-upload").addEventListener("click", upload);
    $("cp-activation").addEventListener("change", function () {
      localStorage.setItem("checkpoint:" + COMMUNITY + ":activation", $("cp-activation").value);
    });
    window.addEventListener("online", function () { showFreshness(); refreshBundle().then(upload); });
    window.addEventListener("offline", showFreshness);
    setInterval(function () {
      if (navigator.onLine) { refreshBundle(); upload(); } else { showFreshness(); }
    }, REFRESH_MS);
    var kept = await metaGet("bundle");
    if (kept && kept.bundle) { await useBundle(kept.bundle, kept.checkedAt); }
    await refreshBundle();
    await showLog();
    registerWorker();
    upload();
    root.dataset.ready = "1";
  }

  // For the browser tests: check a text as the paste field does and answer the log entry.
  window.CommonGround.checkpoint = { check: check, refresh: refreshBundle, upload: upload };
  start();
})();
