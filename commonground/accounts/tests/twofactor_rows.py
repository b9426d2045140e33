"""The permission matrix's rows for the two-step sign-in pages (gathered by permission_rows.py).

In the matrix's world nobody has an authenticator and no rule asks for one: the pages that need one send
everyone signed in back (302), visitors to the login page. The flows with an authenticator are in
test_twofactor*.py.
"""

from commonground.core.testing import expect

SIGNED_IN = expect(200, visitor=302)
REDIRECTED = expect(302)
# Nobody in the world has a passkey: a passkey's pages answer 404 to every login (the owner's flows are in
# test_twofactor_passkeys.py). The library's JSON endpoints take POST; SITE_URL in the tests is not one a
# browser accepts for passkeys, so adding one is refused (403); the sign-in ceremony begins for any login
# (writing only the session: no form, so the matrix expects no change) and its completion without a begun ceremony is a 400.
NO_PASSKEY = expect(404, visitor=302)

PAGES = {
    "twofactor:overview": (lambda w: "/accounts/two-step/", "GET", SIGNED_IN),
    "twofactor:enrol": (lambda w: "/accounts/two-step/set-up/", "GET", SIGNED_IN),
    "twofactor:verify": (lambda w: "/accounts/two-step/code/", "GET", REDIRECTED),
    "twofactor:recovery_codes": (lambda w: "/accounts/two-step/recovery-codes/", "GET", SIGNED_IN),
    "twofactor:recovery_codes_download": (lambda w: "/accounts/two-step/recovery-codes/download/", "GET", REDIRECTED),
    "twofactor:regenerate": (lambda w: "/accounts/two-step/recovery-codes/new/", "GET", REDIRECTED),
    "twofactor:disable": (lambda w: "/accounts/two-step/turn-off/", "GET", REDIRECTED),
    "twofactor:passkey_rename": (lambda w: "/accounts/two-step/passkeys/999999/name/", "GET", NO_PASSKEY),
    "twofactor:passkey_delete": (lambda w: ("/accounts/two-step/passkeys/999999/remove/", {}), "POST", NO_PASSKEY),
    "otp_webauthn:credential-registration-begin": (lambda w: ("/accounts/two-step/passkeys/registration/begin/", {}), "POST", expect(403, visitor=302)),
    "otp_webauthn:credential-registration-complete": (lambda w: ("/accounts/two-step/passkeys/registration/complete/", {}), "POST", expect(400, visitor=302)),
    "otp_webauthn:credential-authentication-begin": (lambda w: "/accounts/two-step/passkeys/authentication/begin/", "POST", expect(200, visitor=302)),
    "otp_webauthn:credential-authentication-complete": (lambda w: ("/accounts/two-step/passkeys/authentication/complete/", {}), "POST", expect(400, visitor=302)),
    "otp_webauthn:js-i18n-catalog": (lambda w: "/accounts/two-step/passkeys/jsi18n/", "GET", expect(200, visitor=302)),
}  # fmt: skip
