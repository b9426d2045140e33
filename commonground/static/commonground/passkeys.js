// After django-otp-webauthn has stored a new passkey (its own script, otp_webauthn_register.js), open the
// page that names it.
(function () {
  "use strict";
  const section = document.getElementById("passkeys");
  if (!section) return;
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    const id = event.detail && event.detail.id;
    if (!Number.isInteger(id)) return;
    window.location.href = section.dataset.nameUrl.replace("/0/", "/" + id + "/") + "?new=1";
  });
})();
