"""A world for the TLP leak test: every marked model at every marking, each text field holding a marker.

The marked models and their fields are read from the app registry (`TLPOptions`), so a new model is
planted without a new test; only how to create and change one through its services is written here,
and `PLANTERS` must name every marked model.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import TestCase, override_settings
from django.utils import timezone
from django.utils.html import escape

from commonground.agenda import services as agenda_services
from commonground.agenda.models import Issue
from commonground.communities.tests.factories import CoChairFactory, CommunityFactory, MembershipFactory
from commonground.core.tlp import TLP
from commonground.core.visibility import marked_models
from commonground.incidents.cap import CAP_NAMESPACE
from commonground.incidents.choices import AssignmentState
from commonground.incidents.models import Alert, Incident, TimelineEntry
from commonground.incidents.services import incidents as incident_services
from commonground.incidents.services import timeline as timeline_services
from commonground.incidents.tasks import send_alert_emails
from commonground.incidents.tests.records import assign, open_incident, plan_of, post_request
from commonground.newsletters import services as newsletter_services
from commonground.registry import services as registry_services
from commonground.registry.models import Person
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory, UserFactory
from commonground.resources import services as resource_services
from commonground.resources.models import Agreement, Resource
from commonground.risks import services as risk_services
from commonground.risks.models import CriticalFunction, Hazard, HazardAssessment
from commonground.sustainability import services as needs_services
from commonground.sustainability.models import NeedsAnswer

from .leak_credentials import plant_credentials
from .leak_newsletters import plant_newsletters
from .leak_records import (
    FILLER,
    LeakWorld,
    Planted,
    Seat,
    markable_fields,
    marker_value,
    marking_field,
    new_token,
)

Planter = tuple[Callable[..., models.Model], Callable[..., None]]
OLD = datetime.date(2020, 1, 1)


def _person(seat, marking, values):
    return registry_services.person_create(
        actor=None,
        organization=seat.owner,
        first_name="Planted",
        last_name=marking,
        contact_tlp=marking,
        **values,
    )


def _resource(seat, marking, values):
    red = {"recipient_people": [seat.red_reader]} if marking == "TLP:RED" and seat.red_reader else {}
    return resource_services.resource_create(
        actor=None, community=seat.community, organization=seat.owner, kind="equipment", category="esf12",
        tlp=marking, verified_on=OLD, **red, **values,
    )  # fmt: skip


def _agreement(seat, marking, values):
    return resource_services.agreement_create(
        actor=None, community=seat.community, organization=seat.owner, parties=[seat.owner, seat.partner],
        starts_on=datetime.date(2026, 1, 1), tlp=marking, **values,
    )  # fmt: skip


def _issue(seat, marking, values):
    issue = agenda_services.issue_propose(
        actor=seat.proposer, community=seat.community, organization=seat.owner, mission_area="response",
        tlp=marking, severity=3, **values,
    )  # fmt: skip
    return issue


def _function(seat, marking, values):
    return risk_services.function_create(
        actor=None, community=seat.community, organization=seat.owner, tlp=marking, **values
    )


SCORES = dict(likelihood=3, impact_life_safety=2, impact_operations=4, impact_property=2, vulnerability=3, preparedness=3)  # fmt: skip


def _assessment(seat, marking, values):
    return risk_services.hazard_assessment_create(
        actor=None, community=seat.community, organization=seat.owner, hazard=seat.hazards.pop(0),
        tlp=marking, **SCORES, **values,
    )  # fmt: skip


def _answer(seat, marking, values, item=None):
    [answer] = needs_services.needs_answers_save(
        actor=None, assessment=seat.needs, organization=seat.owner, tlp=marking,
        answers=[{"item": item or seat.items.pop(0), "level": 2, "importance": 4, **values}],
    )  # fmt: skip
    return answer


def _incident(seat, marking, values):
    """An incident at the marking, and a request on it (whose exports and answers name the incident)."""
    incident = open_incident(seat, organization=seat.owner, tlp=marking, **{"title": "Planted", **values})
    post_request(incident, seat.owner)
    return incident


def _sitrep(seat, marking, values):
    return timeline_services.sitrep_post(actor=None, incident=seat.host, tlp=marking, **values)


def _cap(values: dict) -> dict:
    """Keep an alert's XML a CAP document (the feed reads its description), the marker in its description."""
    if "xml" not in values:
        return values
    text = escape(values["xml"])
    return {
        **values,
        "xml": f'<alert xmlns="{CAP_NAMESPACE}"><info><description>{text}</description></info></alert>',
    }


def _alert(seat, marking, values):
    """An alert at the marking; alerts are issued only by the incident's services, under the incident's marking
    of the moment, so one is planted directly on the owner's TLP:CLEAR incident (and changed directly)."""
    return Alert.objects.create(
        incident=seat.host, community=seat.community, organization=seat.owner, tlp=marking, msg_type="Update",
        sent=timezone.now(), **_cap(values),
    )  # fmt: skip


def _direct_update(model, prepare=lambda values: values):
    """Change a record no service changes (a sitrep, an alert): what a later write could put there."""
    return lambda record, values: model.objects.filter(pk=record.pk).update(**prepare(values))


# How to create a marked record (seat, marking, {field: value}) and change its fields ({field: value}).
PLANTERS: dict[type[models.Model], Planter] = {
    Person: (_person, lambda r, v: registry_services.person_update(actor=None, person=r, data=v)),
    Resource: (_resource, lambda r, v: resource_services.resource_update(actor=None, resource=r, data=v)),
    Agreement: (_agreement, lambda r, v: resource_services.agreement_update(actor=None, agreement=r, data=v)),
    Issue: (_issue, lambda r, v: agenda_services.issue_update(actor=None, issue=r, data=v)),
    CriticalFunction: (_function, lambda r, v: risk_services.function_update(actor=None, function=r, data=v)),
    HazardAssessment: (
        _assessment,
        lambda r, v: risk_services.hazard_assessment_update(actor=None, assessment=r, data=v),
    ),  # fmt: skip
    NeedsAnswer: (
        lambda s, m, v: _answer(s, m, v),
        lambda r, v: _answer(
            Seat(r.community, r.organization, None, None, None, r.item.assessment), r.tlp, v, r.item
        ),
    ),  # fmt: skip
    Incident: (_incident, lambda r, v: incident_services.incident_update(actor=None, incident=r, data=v)),
    TimelineEntry: (_sitrep, _direct_update(TimelineEntry)),
    Alert: (_alert, _direct_update(Alert, _cap)),
}


def _markers(model, planted: Planted) -> dict[str, str]:
    values = {}
    for f in markable_fields(model):
        token = new_token(digits=f.name in ("phone", "mobile"))
        planted.tokens[token] = f.name
        values[f.name] = marker_value(f, token)
    return values


def plant(seat: Seat, model, marking: str) -> Planted:
    """Create one record through its service with a marker in every markable field, then change them all."""
    create, update = PLANTERS[model]
    planted = Planted(record=None, marking=marking)
    first = _markers(model, planted)
    accepted = {k: v for k, v in first.items() if k in _service_fields(model)}
    planted.record = create(seat, marking, accepted)
    second = _markers(model, planted)
    update(planted.record, {k: v for k, v in second.items() if k in _service_fields(model)})
    # Fields no service writes (an issue's decision reason) still get a marker, written directly.
    rest = {k: v for k, v in second.items() if k not in _service_fields(model)}
    if rest:
        model.objects.filter(pk=planted.record.pk).update(**rest)
    planted.record.refresh_from_db()
    return planted


def _service_fields(model) -> set[str]:
    from commonground.agenda.services.issues import ISSUE_FIELDS
    from commonground.incidents.services.incidents import INCIDENT_FIELDS
    from commonground.registry.services.people import PERSON_FIELDS
    from commonground.resources.services import AGREEMENT_FIELDS, RESOURCE_FIELDS
    from commonground.risks.services.assessments import ASSESSMENT_FIELDS, FUNCTION_FIELDS
    from commonground.sustainability.services.needs import ANSWER_FIELDS

    return set({
        Person: PERSON_FIELDS, Resource: RESOURCE_FIELDS, Agreement: AGREEMENT_FIELDS, Issue: ISSUE_FIELDS,
        CriticalFunction: FUNCTION_FIELDS, HazardAssessment: ASSESSMENT_FIELDS, NeedsAnswer: ANSWER_FIELDS,
        Incident: INCIDENT_FIELDS, TimelineEntry: ("text",), Alert: ("identifier", "headline", "xml"),
    }[model])  # fmt: skip


def _user(organization, role="member", **kwargs):
    user = UserFactory(**kwargs)
    PersonFactory(organization=organization, user=user, role=role, email=f"{user.username}@example.org")
    return user


def _former_member(organization, planted: list[Planted]):
    """A member named on every TLP:RED resource, then removed from their organization: the login stays, and
    the mail that tells the resources' admins to review who they name is sent (and searched) with the rest."""
    former = _user(organization)
    for p in planted:
        if isinstance(p.record, Resource) and p.marking == "TLP:RED":
            p.record.recipient_people.add(former.person)
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate), TestCase.captureOnCommitCallbacks(execute=True):
        registry_services.person_delete(actor=None, person=former.person)
    former.refresh_from_db()
    return former


def _green_issue(planted: list[Planted], community) -> Issue:
    """The community's planted TLP:GREEN issue: the narrow newsletter to its organizations names it."""
    return next(
        p.record
        for p in planted
        if isinstance(p.record, Issue) and p.record.community_id == community.pk and p.marking == TLP.GREEN
    )


def build_world() -> LeakWorld:
    """Two communities, four organizations, a user in each role, and every marked model planted."""
    mail.outbox = []
    riverbend = CommunityFactory(slug="riverbend", name="Riverbend")
    elsewhere = CommunityFactory(slug="elsewhere", name="Elsewhere")
    public = OrganizationFactory(name="Riverbend Fire", sector="public", category="fire", level="local")
    private = OrganizationFactory(name="Great Lakes Logistics", sector="private", category="large_employer")
    clinic = OrganizationFactory(name="Riverbend Clinic", sector="private", category="healthcare")
    outside = OrganizationFactory(name="Elsewhere Bakery", sector="private", category="small_employer")
    mill = OrganizationFactory(name="Elsewhere Mill", sector="private", category="small_employer")
    for community, organization in [
        (riverbend, public), (riverbend, private), (riverbend, clinic), (elsewhere, outside), (elsewhere, mill),
    ]:  # fmt: skip
        MembershipFactory(community=community, organization=organization)
    users = {
        "visitor": None,
        "member": _user(private),
        "admin_own": _user(private, role="admin"),
        "admin_other": _user(public, role="admin"),
        "cochair": _user(public, role="admin"),
        "facilitator": UserFactory(is_facilitator=True),
        "outsider": _user(outside, role="admin"),
    }
    CoChairFactory(community=riverbend, person=users["cochair"].person)
    hazards = list(Hazard.objects.filter(community=None).order_by("code"))
    seats = []
    for community, owner, partner, proposer, red_reader in [
        (riverbend, private, clinic, users["admin_own"], users["member"].person),
        (elsewhere, outside, mill, users["outsider"], None),
    ]:
        needs = needs_services.needs_assessment_open(
            actor=None, community=community, title="Needs", closes_on=datetime.date(2099, 1, 1)
        )
        seats.append(
            Seat(community, owner, partner, proposer, red_reader, needs, hazards=list(hazards),
                 items=list(needs.items.all()))
        )  # fmt: skip
    for seat in seats:
        seat.host = open_incident(seat, organization=seat.owner, tlp="TLP:CLEAR", title="Host incident")
    planted = [
        plant(seat, model, marking)
        for seat in seats
        for model in marked_models()
        for marking, _label in marking_field(model).choices
    ]
    # Each planted resource is committed to its owner's incident, so the plan, the commitments and the maps
    # name every resource to whoever may see it, and to no one else.
    for seat in seats:
        request = post_request(seat.host, seat.owner)
        plan = plan_of(seat.host)
        for planted_resource in planted:
            if (
                isinstance(planted_resource.record, Resource)
                and planted_resource.record.organization == seat.owner
            ):
                assign(request, planted_resource.record, plan=plan, state=AssignmentState.ACCEPTED)
    # The mails an issue's people receive (a comment, a decision) are sent once the write commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        for issue in (p.record for p in planted if isinstance(p.record, Issue)):
            agenda_services.comment_add(actor=None, issue=issue, body="Seen at the table.")
            agenda_services.issue_decide(actor=None, issue=issue, decision="adopt")
    # An alert is mailed by the task queue once its write commits: the worker's job, run here for every alert.
    for alert in Alert.objects.filter(incident__community__in=[riverbend, elsewhere]).order_by("pk"):
        send_alert_emails.call(alert.pk)
    # The reminders' mails go through the task queue once their dates are saved: sent here at that commit.
    with (
        override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        for command in ("remind_stale", "remind_needs", "remind_tasks"):
            call_command(command, stdout=io.StringIO(), stderr=io.StringIO())
        # Each table's network, measured by the worker from the planted record (its page and API are crawled).
        call_command("snapshot_networks", stdout=io.StringIO(), stderr=io.StringIO())
        # Each table's newsletter, composed by the system from every planted record (so its sections carry every
        # marking), published and sent to all its members by the worker; and a draft beside it. Each reader's
        # mail, the pages, the previews, the public edition and its feed are searched like the rest.
        for community in (riverbend, elsewhere):
            sent = newsletter_services.newsletter_create(
                actor=None, community=community, subject="Planted news", public=True
            )
            newsletter_services.newsletter_send(actor=None, newsletter=sent)
            newsletter_services.newsletter_create(actor=None, community=community, subject="Planted draft")
        # Two newsletters sent to part of the first table only, after the rest (whose news they would cut off).
        narrow = plant_newsletters(
            riverbend, _green_issue(planted, riverbend), users, Planted, new_token, FILLER
        )
    users["former_member"] = _former_member(private, planted)
    planted += plant_credentials(riverbend, public, private, users, Planted, new_token)
    planted += narrow
    return LeakWorld(
        users=users,
        communities=[riverbend, elsewhere],
        organizations=[public, private, clinic, outside, mill],
        planted=planted,
        needs=[seat.needs for seat in seats],
        owners=[seat.owner for seat in seats],
        mails=list(mail.outbox),
        hosts=[seat.host for seat in seats],
    )
