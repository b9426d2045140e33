"""The permission matrix's rows for the checkpoint: its page and its service worker, open to anyone (officers at
a perimeter need not be members; they read nothing but the community's name)."""

from commonground.core.testing import expect

OPEN = expect(200)


def build(world) -> None:
    pass


API = {}

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "checkpoint:page": (lambda w: "/c/riverbend/checkpoint/", "GET", OPEN),
    "checkpoint:service_worker": (lambda w: "/c/riverbend/checkpoint/sw.js", "GET", OPEN),
}  # fmt: skip
