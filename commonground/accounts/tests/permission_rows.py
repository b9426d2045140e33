"""The permission matrix's rows for signing in and out."""

from commonground.core.testing import expect

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "login": (lambda w: "/accounts/login/", "GET", expect(200)),
    "logout": (lambda w: "/accounts/logout/", "POST", expect(302)),
    "set_language": (lambda w: "/accounts/language/", "POST", expect(302)),
}  # fmt: skip
