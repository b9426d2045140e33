"""The permission matrix's rows for the program: its statistics (everyone's), the facilitators' table and button."""

from commonground.core.testing import expect
from commonground.program.services import progress_refresh

EVERYONE = expect(200)
FACILITATORS = expect(403, visitor=302, facilitator=200)
FACILITATORS_POST = expect(403, visitor=302, facilitator=302)


def build(world) -> None:
    world.add(step_records=progress_refresh(community=world.table.community))


# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/program/statistics/"): (lambda w: ("/api/v1/program/statistics/", None), EVERYONE),
    ("GET", "/api/v1/program/communities/"): (lambda w: ("/api/v1/program/communities/?sort=-steps_done", None), EVERYONE),
}  # fmt: skip

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "program:statistics": (lambda w: "/program/", "GET", EVERYONE),
    "program:communities": (lambda w: "/program/communities/?sort=-step3", "GET", FACILITATORS),
    "program:refresh": (lambda w: "/program/communities/refresh/", "POST", FACILITATORS_POST),
}  # fmt: skip
