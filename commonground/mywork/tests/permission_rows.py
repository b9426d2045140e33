"""The permission matrix's rows for My work: every logged-in user has one, a visitor is sent to log in."""

from commonground.core.testing import expect

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "mywork:home": (lambda w: "/my-work/", "GET", expect(200, visitor=302)),
}
