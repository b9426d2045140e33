"""The permission matrix at every marking: the audit log and the edit form of every marked record, by role.

Continues `test_permission_matrix.py` (which states each page's and operation's status for one record):
here every marked model is planted at every marking it allows (the leak world), and for each role the
status must follow the app's own rules (who finds the record, who may edit it, who reads the audit log)
and the body must hold no marker of a record the role may not see.
"""

from __future__ import annotations

import pytest

from commonground.agenda.models import Issue
from commonground.agenda.permissions import can_edit_issue
from commonground.core.models import AuditEntry
from commonground.core.testing import ROLES
from commonground.incidents.models import Incident
from commonground.incidents.permissions import can_lead_incident
from commonground.registry.models import Person
from commonground.registry.permissions import can_edit_person
from commonground.resources.models import Agreement, Resource
from commonground.resources.permissions import can_edit_agreement, can_edit_resource
from commonground.risks.models import CriticalFunction, HazardAssessment
from commonground.risks.permissions import can_edit_assessment
from commonground.sustainability.models import NeedsAnswer
from commonground.sustainability.permissions import can_answer_any

from .leak_records import marking_field
from .leak_world import marked_models
from .test_marking_changes import APPEND_ONLY

pytestmark = pytest.mark.django_db

# The form that edits a marked record: (URL of the record, whether the viewer may edit it).
EDIT_FORMS = {
    Person: (lambda r: f"/people/{r.pk}/edit/", can_edit_person),
    Resource: (lambda r: f"/resources/{r.pk}/edit/", can_edit_resource),
    Agreement: (lambda r: f"/agreements/{r.pk}/edit/", can_edit_agreement),
    Issue: (lambda r: f"/issues/{r.pk}/edit/", can_edit_issue),
    CriticalFunction: (lambda r: f"/critical-functions/{r.pk}/edit/", can_edit_assessment),
    HazardAssessment: (lambda r: f"/assessments/{r.pk}/edit/", can_edit_assessment),
    # An organization's answers are edited together, on the sheet of their assessment.
    NeedsAnswer: (
        lambda r: f"/needs/{r.item.assessment_id}/answer/?organization={r.organization_id}",
        lambda viewer, r: can_answer_any(viewer, r.community),
    ),
    # An open incident is changed by its leadership (a closed one's record is final: 403 to all).
    Incident: (
        lambda r: f"/incidents/{r.pk}/edit/",
        lambda viewer, r: r.is_open and can_lead_incident(viewer, r),
    ),
}


def cases(*, editable_only: bool = False) -> list:
    return [
        pytest.param(model, marking, role, id=f"{model.__name__}-{marking}-{role}")
        for model in marked_models()
        if not (editable_only and model._meta.label_lower in APPEND_ONLY)
        for marking, _label in marking_field(model).choices
        for role in ROLES
    ]


def test_every_marked_model_has_its_edit_form_in_the_matrix():
    # Records nobody changes once written (an incident's log, the alerts it sent) have no edit form.
    editable = {model for model in marked_models() if model._meta.label_lower not in APPEND_ONLY}
    assert set(EDIT_FORMS) == editable, "a marked model without an edit form row"


def finds(viewer, record) -> bool:
    """Whether the viewer reaches the record at all (a person: through their organization)."""
    return type(record).objects.visible_to(viewer).filter(pk=record.pk).exists()


def expected_edit_status(viewer, record, may_edit) -> int:
    if not viewer.is_authenticated:
        return 302
    # The answer sheet belongs to the assessment: a member of its community reaches it.
    reached = (
        viewer.is_member_of(record.community_id) if isinstance(record, NeedsAnswer) else finds(viewer, record)
    )
    if not reached:
        return 404
    return 200 if may_edit(viewer, record) else 403


@pytest.mark.parametrize(("model", "marking", "role"), cases(editable_only=True))
def test_edit_form_by_role_and_marking(leak_world, leak_clients, model, marking, role):
    url, may_edit = EDIT_FORMS[model]
    viewer = leak_world.viewer(role)
    wrong, leaks = [], []
    planted = [p for p in leak_world.planted if p.model is model and p.marking == marking]
    for p in planted:
        response = leak_clients[role].get(url(p.record))
        expected = expected_edit_status(viewer, p.record, may_edit)
        if response.status_code != expected:
            wrong.append(f"{url(p.record)}: {response.status_code}, expected {expected}")
        leaks += leak_world.leaks(viewer, response.content, among=planted)
    assert not wrong, wrong
    assert not leaks, leaks


def audit_page_status(viewer, community) -> int:
    if not viewer.is_authenticated:
        return 302
    if not viewer.is_member_of(community.pk):
        return 404
    return 200 if viewer.is_facilitator or viewer.is_cochair_of(community.pk) else 403


@pytest.mark.parametrize(("model", "marking", "role"), cases())
def test_audit_log_by_role_and_marking(leak_world, leak_clients, model, marking, role):
    """The entries of one record: the detail answers by the log's scope; no value of a hidden record shows."""
    viewer, client = leak_world.viewer(role), leak_clients[role]
    planted = [p for p in leak_world.planted if p.model is model and p.marking == marking]
    wrong, leaks = [], []
    for p in planted:
        entries = AuditEntry.objects.filter(
            content_type__model=model._meta.model_name, object_id=str(p.record.pk)
        )
        # Planting writes a creation and a change; an append-only record is changed behind the services' back
        # (what a later write could put there), and an alert is planted without them.
        assert entries.count() >= (0 if model._meta.label_lower in APPEND_ONLY else 2), "planting is audited"
        for entry in entries:
            response = client.get(f"/api/v1/audit/{entry.pk}/")
            in_scope = AuditEntry.objects.visible_to(viewer).filter(pk=entry.pk).exists()
            # A reader in scope who may not see the record gets the entry redacted, or no entry at all.
            allowed = {401} if not viewer.is_authenticated else {200} if in_scope else {404}
            if in_scope and not leak_world.may_see(viewer, p):
                allowed = {200, 404}
            if response.status_code not in allowed:
                wrong.append(f"/api/v1/audit/{entry.pk}/: {response.status_code}, expected {allowed}")
            leaks += leak_world.leaks(viewer, response.content, among=planted)
    listed = client.get(f"/api/v1/audit/?model={model._meta.model_name}&page_size=200")
    assert listed.status_code == (200 if viewer.is_authenticated else 401)
    leaks += leak_world.leaks(viewer, listed.content, among=planted)
    for community in leak_world.communities:
        page = client.get(f"/c/{community.slug}/audit/?model={model._meta.model_name}")
        if page.status_code != audit_page_status(viewer, community):
            wrong.append(f"/c/{community.slug}/audit/: {page.status_code}")
        leaks += leak_world.leaks(viewer, page.content, among=planted)
    assert not wrong, wrong
    assert not leaks, leaks
