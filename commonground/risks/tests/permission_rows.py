"""The permission matrix's rows for hazards, critical functions and assessments, and their part of the world.

The world's function and assessment are the private organization's, marked TLP:AMBER.
"""

from commonground.core.testing import (
    API_LIST,
    API_READ,
    PAGE_LEADERS,
    PAGE_READ,
    PAGE_RECORDERS,
    expect,
    unique,
)
from commonground.risks import services
from commonground.risks.models import Hazard

SCORES = dict(likelihood=3, impact_life_safety=2, impact_operations=4, impact_property=2, vulnerability=3, preparedness=3)  # fmt: skip
# An AMBER record of the private organization: its people, the co-chairs and facilitators see it.
API_AMBER = expect(200, visitor=401, outsider=404, admin_other=404)
AMBER_EDITORS = expect(
    403, visitor=401, outsider=404, admin_other=404, admin_own=200, cochair=200, facilitator=200
)
AMBER_DELETERS = expect(
    403, visitor=401, outsider=404, admin_other=404, admin_own=204, cochair=204, facilitator=204
)
PAGE_AMBER = expect(200, visitor=302, outsider=404, admin_other=404)
PAGE_AMBER_EDITORS = expect(
    403, visitor=302, outsider=404, admin_other=404, admin_own=200, cochair=200, facilitator=200
)
POST_AMBER_EDITORS = expect(
    403, visitor=302, outsider=404, admin_other=404, admin_own=302, cochair=302, facilitator=302
)
ORG_CREATORS = expect(403, visitor=401, outsider=400, admin_own=201, cochair=201, facilitator=201)


def build(world) -> None:
    table = world.table
    world.add(
        hazard=services.hazard_create(
            actor=None, community=table.community, name="Grain elevator explosion", kind="technological"
        ),
        function=services.function_create(
            actor=None, community=table.community, organization=table.private_org, name="Cold chain"
        ),
        assessment=services.hazard_assessment_create(
            actor=None,
            community=table.community,
            organization=table.private_org,
            hazard=Hazard.objects.get(community=None, code="tornado"),
            **SCORES,
        ),
    )


def function_payload(world):
    return {
        "community": "riverbend",
        "organization": world.table.private_org.pk,
        "name": f"Function {next(unique)}",
    }


def assessment_payload(world):
    hazard = services.hazard_create(
        actor=None, community=world.table.community, name=f"Hazard {next(unique)}", kind="natural"
    )
    return {
        "community": "riverbend",
        "organization": world.table.private_org.pk,
        "hazard": hazard.pk,
        **SCORES,
    }


# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/hazards/"): (lambda w: ("/api/v1/hazards/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/hazards/"): (lambda w: ("/api/v1/hazards/", {"community": "riverbend", "name": f"Hazard {next(unique)}", "kind": "natural"}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/hazards/{id}/"): (lambda w: (f"/api/v1/hazards/{w.hazard.pk}/", None), API_READ),
    ("PATCH", "/api/v1/hazards/{id}/"): (lambda w: (f"/api/v1/hazards/{w.hazard.pk}/", {"description": "Dust"}), expect(403, visitor=401, outsider=404, cochair=200, facilitator=200)),
    ("PUT", "/api/v1/hazards/{id}/"): (lambda w: (f"/api/v1/hazards/{w.hazard.pk}/", {"name": "Silo explosion", "kind": "technological"}), expect(403, visitor=401, outsider=404, cochair=200, facilitator=200)),
    ("DELETE", "/api/v1/hazards/{id}/"): (lambda w: (f"/api/v1/hazards/{w.hazard.pk}/", None), expect(403, visitor=401, outsider=404, cochair=204, facilitator=204)),
    ("GET", "/api/v1/critical-functions/"): (lambda w: ("/api/v1/critical-functions/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/critical-functions/"): (lambda w: ("/api/v1/critical-functions/", function_payload(w)), ORG_CREATORS),
    ("GET", "/api/v1/critical-functions/{id}/"): (lambda w: (f"/api/v1/critical-functions/{w.function.pk}/", None), API_AMBER),
    ("PATCH", "/api/v1/critical-functions/{id}/"): (lambda w: (f"/api/v1/critical-functions/{w.function.pk}/", {"max_downtime_hours": 8}), AMBER_EDITORS),
    ("PUT", "/api/v1/critical-functions/{id}/"): (lambda w: (f"/api/v1/critical-functions/{w.function.pk}/", {**function_payload(w), "name": "Cold chain"}), AMBER_EDITORS),
    ("DELETE", "/api/v1/critical-functions/{id}/"): (lambda w: (f"/api/v1/critical-functions/{w.function.pk}/", None), AMBER_DELETERS),
    ("GET", "/api/v1/assessments/"): (lambda w: ("/api/v1/assessments/?community=riverbend&sector=private", None), API_LIST),
    ("POST", "/api/v1/assessments/"): (lambda w: ("/api/v1/assessments/", assessment_payload(w)), ORG_CREATORS),
    ("GET", "/api/v1/assessments/{id}/"): (lambda w: (f"/api/v1/assessments/{w.assessment.pk}/", None), API_AMBER),
    ("PATCH", "/api/v1/assessments/{id}/"): (lambda w: (f"/api/v1/assessments/{w.assessment.pk}/", {"likelihood": 5}), AMBER_EDITORS),
    ("PUT", "/api/v1/assessments/{id}/"): (lambda w: (f"/api/v1/assessments/{w.assessment.pk}/", {**assessment_payload(w), "hazard": w.assessment.hazard_id}), AMBER_EDITORS),
    ("DELETE", "/api/v1/assessments/{id}/"): (lambda w: (f"/api/v1/assessments/{w.assessment.pk}/", None), AMBER_DELETERS),
    ("GET", "/api/v1/communities/{slug}/risk-profile/"): (lambda w: ("/api/v1/communities/riverbend/risk-profile/", None), API_READ),
}  # fmt: skip

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "risks:hazards": (lambda w: "/c/riverbend/hazards/?kind=technological", "GET", PAGE_READ),
    "risks:hazard_create": (lambda w: "/c/riverbend/hazards/new/", "GET", PAGE_LEADERS),
    "risks:hazard_detail": (lambda w: f"/c/riverbend/hazards/{w.assessment.hazard_id}/", "GET", PAGE_READ),
    "risks:profile": (lambda w: "/c/riverbend/risk-profile/", "GET", PAGE_READ),
    "risks:profile_print": (lambda w: "/c/riverbend/risk-profile/print/", "GET", PAGE_READ),
    "risks:assessments": (lambda w: "/c/riverbend/assessments/?kind=natural", "GET", PAGE_READ),
    "risks:assessment_create": (lambda w: "/c/riverbend/assessments/new/", "GET", PAGE_RECORDERS),
    "risks:functions": (lambda w: "/c/riverbend/critical-functions/", "GET", PAGE_READ),
    "risks:function_create": (lambda w: "/c/riverbend/critical-functions/new/", "GET", PAGE_RECORDERS),
    "risks:assessment_detail": (lambda w: f"/assessments/{w.assessment.pk}/", "GET", PAGE_AMBER),
    "risks:assessment_edit": (lambda w: f"/assessments/{w.assessment.pk}/edit/", "GET", PAGE_AMBER_EDITORS),
    "risks:assessment_delete": (lambda w: f"/assessments/{w.assessment.pk}/delete/", "POST", POST_AMBER_EDITORS),
    "risks:function_edit": (lambda w: f"/critical-functions/{w.function.pk}/edit/", "GET", PAGE_AMBER_EDITORS),
    "risks:function_delete": (lambda w: f"/critical-functions/{w.function.pk}/delete/", "POST", POST_AMBER_EDITORS),
}  # fmt: skip
