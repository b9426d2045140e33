"""The permission matrix's rows for the two-step sign-in pages (gathered by permission_rows.py).

In the matrix's world nobody has an authenticator and no rule asks for one: the pages that need one send
everyone signed in back (302), visitors to the login page. The flows with an authenticator are in
test_twofactor*.py.
"""

from commonground.core.testing import expect

SIGNED_IN = expect(200, visitor=302)
REDIRECTED = expect(302)

PAGES = {
    "twofactor:overview": (lambda w: "/accounts/two-step/", "GET", SIGNED_IN),
    "twofactor:enrol": (lambda w: "/accounts/two-step/set-up/", "GET", SIGNED_IN),
    "twofactor:verify": (lambda w: "/accounts/two-step/code/", "GET", REDIRECTED),
    "twofactor:recovery_codes": (lambda w: "/accounts/two-step/recovery-codes/", "GET", SIGNED_IN),
    "twofactor:recovery_codes_download": (lambda w: "/accounts/two-step/recovery-codes/download/", "GET", REDIRECTED),
    "twofactor:regenerate": (lambda w: "/accounts/two-step/recovery-codes/new/", "GET", REDIRECTED),
    "twofactor:disable": (lambda w: "/accounts/two-step/turn-off/", "GET", REDIRECTED),
}  # fmt: skip
