"""An edit form never shows or pre-fills a marked value its reader may not see (DESIGN.md, TLP).

Every model that declares `TLPOptions` has a row in FORMS, so a new marked model is covered.
"""

import datetime

import pytest
from django.test import Client

from commonground.core.tlp import TLP
from commonground.core.visibility import marked_models
from commonground.incidents.tests.factories import make_incident
from commonground.registry.tests.factories import PersonFactory
from commonground.resources import services as resources
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks.tests.factories import AssessmentFactory, CriticalFunctionFactory
from commonground.sustainability import services as sustainability

from .test_marking_changes import APPEND_ONLY

MARKER = "hidden-form-marker-61f0"


def _agreement(table):
    return resources.agreement_create(
        actor=None, community=table.community, organization=table.private_org, title="MOU", terms=MARKER,
        starts_on=datetime.date(2026, 1, 1), parties=[table.private_org, table.outside_org], tlp=TLP.AMBER_STRICT,
    )  # fmt: skip


def _answer_page(table):
    assessment = sustainability.needs_assessment_open(
        actor=None, community=table.community, title="Needs", closes_on=datetime.date(2099, 1, 1)
    )
    sustainability.needs_answers_save(
        actor=None, assessment=assessment, organization=table.private_org, tlp=TLP.AMBER_STRICT,
        answers=[{"item": assessment.items.first().pk, "level": 2, "importance": 4, "comment": MARKER}],
    )  # fmt: skip
    return f"/needs/{assessment.pk}/answer/?organization={table.private_org.pk}"


def _person_page(table):
    person = PersonFactory(organization=table.private_org, email=f"{MARKER}@example.org", contact_tlp=TLP.RED)
    return f"/people/{person.pk}/edit/"


def _owned(make, **marker):
    """Return a maker of a record of the private organization, TLP:AMBER+STRICT, with the marker planted."""
    return lambda t: make(community=t.community, organization=t.private_org, tlp=TLP.AMBER_STRICT, **marker)


# model label -> a function that plants the marker in a record the co-chair may not see and returns its edit page.
FORMS = {
    "registry.person": _person_page,
    "resources.resource": lambda t: f"/resources/{_owned(ResourceFactory, description=MARKER)(t).pk}/edit/",
    "resources.agreement": lambda t: f"/agreements/{_agreement(t).pk}/edit/",
    "risks.criticalfunction": lambda t: (
        f"/critical-functions/{_owned(CriticalFunctionFactory, description=MARKER)(t).pk}/edit/"
    ),
    "risks.hazardassessment": lambda t: f"/assessments/{_owned(AssessmentFactory, notes=MARKER)(t).pk}/edit/",
    "sustainability.needsanswer": _answer_page,
    "incidents.incident": lambda t: f"/incidents/{_owned(make_incident, description=MARKER)(t).pk}/edit/",
}
# Marked TLP:CLEAR or TLP:GREEN only: every member of the community, and so every co-chair, sees them.
SEEN_BY_EVERY_COCHAIR = {"agenda.issue"}


def test_every_marked_model_has_its_edit_form_checked():
    marked = {m._meta.label_lower for m in marked_models()}
    assert set(FORMS) == marked - APPEND_ONLY - SEEN_BY_EVERY_COCHAIR


@pytest.mark.parametrize("role", ["cochair", "facilitator"])
@pytest.mark.parametrize("label", sorted(FORMS))
def test_an_edit_form_does_not_show_a_value_hidden_from_its_reader(table, label, role):
    url = FORMS[label](table)
    client = Client()
    client.force_login(table.user(role))
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert MARKER not in response.content.decode()
    if label not in ("registry.person", "sustainability.needsanswer"):
        assert response.status_code == 404  # the whole record is marked: it is not there for this reader
