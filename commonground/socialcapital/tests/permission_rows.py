"""The permission matrix's rows for the network: its page, the measure-again button, its API."""

from commonground.core.testing import API_LIST, API_READ, PAGE_DECIDERS, PAGE_READ
from commonground.socialcapital.services import snapshot_compute


def build(world) -> None:
    world.add(network_snapshot=snapshot_compute(community=world.table.community))


# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/network-snapshots/"): (lambda w: ("/api/v1/network-snapshots/?community=riverbend", None), API_LIST),
    ("GET", "/api/v1/network-snapshots/{id}/"): (lambda w: (f"/api/v1/network-snapshots/{w.network_snapshot.pk}/", None), API_READ),
}  # fmt: skip

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "socialcapital:network": (lambda w: "/c/riverbend/network/", "GET", PAGE_READ),
    "socialcapital:network_measure": (lambda w: "/c/riverbend/network/measure/", "POST", PAGE_DECIDERS),
    "socialcapital:network_introduce": (lambda w: "/c/riverbend/network/introduce/", "POST", PAGE_DECIDERS),
}  # fmt: skip
