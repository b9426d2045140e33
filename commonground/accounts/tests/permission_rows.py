"""The permission matrix's rows for signing in and out and for passwords."""

from commonground.core.testing import expect

# Anyone may ask for a reset link and follow one; changing a password needs a login.
PUBLIC = expect(200)
SIGNED_IN = expect(200, visitor=302)

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "login": (lambda w: "/accounts/login/", "GET", expect(200)),
    "logout": (lambda w: "/accounts/logout/", "POST", expect(302)),
    "set_language": (lambda w: "/accounts/language/", "POST", expect(302)),
    "password_change": (lambda w: "/accounts/password/", "GET", SIGNED_IN),
    "password_change_done": (lambda w: "/accounts/password/changed/", "GET", SIGNED_IN),
    "password_reset": (lambda w: "/accounts/password/reset/", "GET", PUBLIC),
    "password_reset_done": (lambda w: "/accounts/password/reset/sent/", "GET", PUBLIC),
    "password_reset_confirm": (lambda w: "/accounts/password/reset/MQ/not-a-token/", "GET", PUBLIC),
    "password_reset_complete": (lambda w: "/accounts/password/reset/done/", "GET", PUBLIC),
}  # fmt: skip

# The two-step sign-in pages (accounts/twofactor) keep their rows beside their tests.
from .twofactor_rows import PAGES as TWOFACTOR_PAGES  # noqa: E402

PAGES.update(TWOFACTOR_PAGES)
