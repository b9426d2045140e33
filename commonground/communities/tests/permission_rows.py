"""The permission matrix's rows for communities, their memberships and co-chairs, and their part of the world."""

from commonground.communities.models import CoChair, Membership
from commonground.core.testing import API_LIST, API_READ, PAGE_LEADERS, PAGE_READ, expect, unique


def build(world) -> None:
    table = world.table
    world.add(
        membership=Membership.objects.get(community=table.community, organization=table.private_org),
        cochair=CoChair.objects.get(community=table.community),
    )


def community_payload(world):
    n = next(unique)
    return {
        "name": f"C {n}",
        "slug": f"c-{n}",
        "kind": "city",
        "state": "MI",
        "center_latitude": 42.0,
        "center_longitude": -84.0,
    }


# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/communities/"): (lambda w: ("/api/v1/communities/", None), API_LIST),
    ("POST", "/api/v1/communities/"): (lambda w: ("/api/v1/communities/", community_payload(w)), expect(403, visitor=401, facilitator=201)),
    ("GET", "/api/v1/communities/{slug}/"): (lambda w: ("/api/v1/communities/riverbend/", None), API_READ),
    ("PATCH", "/api/v1/communities/{slug}/"): (lambda w: ("/api/v1/communities/riverbend/", {"description": "x"}), expect(403, visitor=401, outsider=404, cochair=200, facilitator=200)),
    ("PUT", "/api/v1/communities/{slug}/"): (lambda w: ("/api/v1/communities/riverbend/", {**community_payload(w), "slug": "riverbend"}), expect(403, visitor=401, outsider=404, cochair=200, facilitator=200)),
    ("GET", "/api/v1/communities/{slug}/coverage/"): (lambda w: ("/api/v1/communities/riverbend/coverage/", None), API_READ),
    ("GET", "/api/v1/communities/{slug}/progress/"): (lambda w: ("/api/v1/communities/riverbend/progress/", None), API_READ),
    ("GET", "/api/v1/memberships/"): (lambda w: ("/api/v1/memberships/", None), API_LIST),
    ("POST", "/api/v1/memberships/"): (lambda w: ("/api/v1/memberships/", {"community": "riverbend", "organization": w.orphan.pk}), expect(400, visitor=401, facilitator=201)),
    ("GET", "/api/v1/memberships/{id}/"): (lambda w: (f"/api/v1/memberships/{w.membership.pk}/", None), API_READ),
    ("DELETE", "/api/v1/memberships/{id}/"): (lambda w: (f"/api/v1/memberships/{w.membership.pk}/", None), expect(403, visitor=401, outsider=404, cochair=204, facilitator=204)),
    ("GET", "/api/v1/cochairs/"): (lambda w: ("/api/v1/cochairs/", None), API_LIST),
    ("POST", "/api/v1/cochairs/"): (lambda w: ("/api/v1/cochairs/", {"community": "riverbend", "person": w.table.admin.person.pk}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/cochairs/{id}/"): (lambda w: (f"/api/v1/cochairs/{w.cochair.pk}/", None), API_READ),
    ("DELETE", "/api/v1/cochairs/{id}/"): (lambda w: (f"/api/v1/cochairs/{w.cochair.pk}/", None), expect(403, visitor=401, outsider=404, cochair=204, facilitator=204)),
}  # fmt: skip

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "landing": (lambda w: "/", "GET", expect(200)),
    # Everyone but the facilitator sits at one table in this world: they are taken to its dashboard.
    # A former member sits at no table: the list, empty.
    "communities:list": (lambda w: "/communities/", "GET", expect(302, facilitator=200, former_member=200)),
    "communities:create": (lambda w: "/communities/new/", "GET", expect(403, visitor=302, facilitator=200)),
    "communities:dashboard": (lambda w: "/c/riverbend/", "GET", PAGE_READ),
    "communities:edit": (lambda w: "/c/riverbend/edit/", "GET", PAGE_LEADERS),
    "communities:leadership": (lambda w: "/c/riverbend/leadership/", "GET", PAGE_READ),
    "communities:audit": (lambda w: "/c/riverbend/audit/", "GET", PAGE_LEADERS),
}  # fmt: skip
