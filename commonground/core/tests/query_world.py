"""The world the query-count tests grow: `rows` more of every listed record at the table, credentials too."""

from datetime import timedelta

from django.utils import timezone

from commonground.agenda.models import Ballot, Comment, Endorsement, Issue, Vote
from commonground.communities.models import Membership
from commonground.core import audit
from commonground.incidents.models import Incident
from commonground.incidents.tests.records import grow_incidents
from commonground.newsletters import services as newsletter_services
from commonground.newsletters.choices import NewsletterStatus
from commonground.newsletters.models import Newsletter
from commonground.registry.models import Invitation, InvitationStatus, Organization, Person
from commonground.resources.models import Agreement, Resource
from commonground.risks.models import CriticalFunction, Hazard, HazardAssessment
from commonground.socialcapital.services import snapshot_compute
from commonground.sustainability.models import (
    Attendance,
    ExerciseObjective,
    Goal,
    Meeting,
    NeedsAnswer,
    NeedsAssessment,
    NeedsItem,
    Observation,
    Task,
)


def grow(table, rows: int) -> None:
    """Put `rows` more organizations, people, invitations and audit entries at the table."""
    start = Organization.objects.count()
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Grown {start + i}", sector="private", category="small_employer", employees=i + 1)
        for i in range(rows)
    )
    Membership.objects.bulk_create(
        Membership(community=table.community, organization=o) for o in organizations
    )
    people = Person.objects.bulk_create(
        Person(organization=o, first_name="P", last_name=str(o.pk), email=f"p{o.pk}@example.org")
        for o in organizations
    )
    Invitation.objects.bulk_create(
        Invitation(
            community=table.community,
            invited_by=table.cochair,
            email=f"i{p.pk}@example.org",
            name="Invitee",
            organization_name="X",
            status=InvitationStatus.ACCEPTED,
            accepted_person=p,
            expires_at=timezone.now() + timedelta(days=1),
        )
        for p in people
    )
    resources = Resource.objects.bulk_create(
        Resource(
            community=table.community,
            organization=o,
            name=f"Grown generator {o.pk}",
            kind="equipment",
            category="esf12",
            latitude=42.7,
            longitude=-84.5,
        )
        for o in organizations
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            community=table.community,
            organization=o,
            title=f"MOU {o.pk}",
            tlp="TLP:GREEN",
            starts_on=timezone.localdate(),
        )
        for o in organizations
    )
    Agreement.parties.through.objects.bulk_create(
        Agreement.parties.through(agreement=a, organization=party)
        for a, o in zip(agreements, organizations, strict=True)
        for party in (o, table.public_org)
    )
    Agreement.resources.through.objects.bulk_create(
        Agreement.resources.through(agreement=a, resource=r)
        for a, r in zip(agreements, resources, strict=True)
    )
    hazards = Hazard.objects.bulk_create(
        Hazard(community=table.community, code=f"grown_{o.pk}", name=f"Grown hazard {o.pk}", kind="natural")
        for o in organizations
    )
    functions = CriticalFunction.objects.bulk_create(
        CriticalFunction(community=table.community, organization=o, name=f"Function {o.pk}")
        for o in organizations
    )
    tornado = Hazard.objects.get(community=None, code="tornado")
    scores = dict(likelihood=3, impact_life_safety=3, impact_operations=4, impact_property=2, vulnerability=3, preparedness=3)  # fmt: skip
    assessments = HazardAssessment.objects.bulk_create(
        HazardAssessment(community=table.community, organization=o, hazard=hazard, **scores)
        for o, own in zip(organizations, hazards, strict=True)
        for hazard in (tornado, own)
    )
    HazardAssessment.critical_functions.through.objects.bulk_create(
        HazardAssessment.critical_functions.through(hazardassessment=a, criticalfunction=f)
        for a, f in zip(assessments[::2], functions, strict=True)
    )
    issues = Issue.objects.bulk_create(
        Issue(community=table.community, organization=o, title=f"Issue {o.pk}", description="d", outcome="o",
              mission_area="response", status="adopted")
        for o in organizations
    )  # fmt: skip
    Issue.hazards.through.objects.bulk_create(
        Issue.hazards.through(issue=i, hazard=h) for i, h in zip(issues, hazards, strict=True)
    )
    Comment.objects.bulk_create(Comment(issue=i, author_name="Grown", body="Agreed") for i in issues)
    Endorsement.objects.bulk_create(
        Endorsement(issue=i, organization=party, severity=3)
        for i, o in zip(issues, organizations, strict=True)
        for party in (o, table.public_org)
    )
    vote = Vote.objects.create(community=table.community, title=f"Vote {start}", kind="dot")
    vote.issues.set(issues)
    Ballot.objects.bulk_create(
        Ballot(vote=vote, organization=o, choices={str(issues[0].pk): 1}) for o in organizations
    )
    needs = NeedsAssessment.objects.create(
        community=table.community, title=f"Needs {start}", closes_on="2099-01-01"
    )
    item = NeedsItem.objects.create(assessment=needs, mission_area="response", text="Q")
    NeedsAnswer.objects.bulk_create(
        NeedsAnswer(community=table.community, organization=o, item=item, level=2, importance=4)
        for o in organizations
    )
    goal = Goal.objects.create(
        community=table.community, statement=f"Goal {start}", measure="m", target_date="2099-01-01"
    )
    goal.needs.add(item)
    Task.objects.bulk_create(
        Task(goal=goal, title=f"Task {o.pk}", owner_organization=o, due_on="2020-01-01")
        for o in organizations
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(community=table.community, kind="tabletop", title=f"Exercise {o.pk}",
                starts_at=timezone.now() - timedelta(days=o.pk % 30 + 1))
        for o in organizations
    )  # fmt: skip
    exercise = meetings[0]
    Attendance.objects.bulk_create(
        Attendance(meeting=m, organization=o) for m, o in zip(meetings, organizations, strict=True)
    )
    Attendance.objects.bulk_create(Attendance(meeting=exercise, organization=o) for o in organizations[1:])
    objectives = ExerciseObjective.objects.bulk_create(
        ExerciseObjective(meeting=exercise, text=f"Objective {o.pk}") for o in organizations
    )
    observations = Observation.objects.bulk_create(
        Observation(meeting=exercise, objective=objective, kind="improvement", text="Gap")
        for objective in objectives
    )
    Task.objects.bulk_create(
        Task(
            goal=goal, title=f"Corrective {o.pk}", owner_organization=o, due_on="2099-01-01", observation=obs
        )
        for o, obs in zip(organizations, observations, strict=True)
    )
    Meeting.scenario_hazards.through.objects.bulk_create(
        Meeting.scenario_hazards.through(meeting=exercise, hazard=h) for h in hazards
    )
    grow_incidents(table, organizations, resources)
    # Half the grown incidents are past (the newest stays open): the incidents page lists both.
    grown = list(
        Incident.objects.filter(community=table.community).order_by("-pk").values_list("pk", flat=True)
    )
    Incident.objects.filter(pk__in=grown[1 : len(organizations) : 2]).update(
        status="closed", closed_at=timezone.now()
    )
    # The network as it stands, measured (the worker's work, done here at once).
    snapshot_compute(community=table.community)
    # A newsletter composed from all that (a draft), one sent and published, and a saved segment.
    newsletter_services.newsletter_create(actor=None, community=table.community, subject=f"Draft {start}")
    sent = newsletter_services.newsletter_create(
        actor=None, community=table.community, subject=f"Sent {start}"
    )
    Newsletter.objects.filter(pk=sent.pk).update(
        status=NewsletterStatus.SENT, public=True, sent_at=timezone.now()
    )
    newsletter_services.segment_create(
        actor=None, community=table.community, name=f"Segment {start}", kind="all"
    )
    grow_credentials(table, organizations, people)
    audit.bulk_record(
        audit.build_entry(
            actor=table.cochair,
            action="create",
            instance=o,
            changes={},
            community_id=table.community.pk,
            organization_id=o.pk,
        )
        for o in organizations
    )


def grow_credentials(table, organizations, people) -> None:
    """A facility, a nomination and a credential for each grown organization, and one more activation."""
    from commonground.credentials import services as credential_services
    from commonground.credentials.models import Activation, Credential, Facility, Nomination, RestrictedArea

    if credential_services.program_of(table.community) is None:
        credential_services.program_save(
            actor=None, community=table.community,
            data={"safety_organization": table.public_org, "kinds": ["standard"], "orientation": "Read me."},
        )  # fmt: skip
        RestrictedArea.objects.create(
            community=table.community, name="Grown area",
            polygon={"type": "Polygon", "coordinates": [[[-85, 42], [-84, 42], [-84, 43], [-85, 43], [-85, 42]]]},
        )  # fmt: skip
    key = credential_services.signing_key_current(table.community)
    facilities = Facility.objects.bulk_create(
        Facility(
            community=table.community, organization=o, name=f"Site {o.pk}", latitude=42.7, longitude=-84.5
        )
        for o in organizations
    )
    nominations = Nomination.objects.bulk_create(
        Nomination(community=table.community, organization=o, person=p, kind="standard", reason="shutdown")
        for o, p in zip(organizations, people, strict=True)
    )
    Nomination.facilities.through.objects.bulk_create(
        Nomination.facilities.through(nomination=n, facility=f)
        for n, f in zip(nominations, facilities, strict=True)
    )
    now = timezone.now()
    Credential.objects.bulk_create(
        Credential(
            community=table.community,
            nomination=n,
            organization_id=n.organization_id,
            person_id=n.person_id,
            public_id=f"G{n.pk}",
            key=key,
            rid=n.pk,
            kind="standard",
            holder_name="Grown",
            organization_name="X",
            facility_name=f.name,
            facility_ids=[f.pk],
            valid_from=now,
            valid_until=now + timedelta(days=30),
            code=f"CG1:grown{n.pk}",
            status="revoked" if n.pk % 2 else "active",
        )
        for n, f in zip(nominations, facilities, strict=True)
    )
    Activation.objects.create(
        community=table.community, name=f"Grown {now}", area=RestrictedArea.objects.filter(community=table.community).first(),
        kinds=["standard"], starts_at=now, ends_at=now + timedelta(days=1),
    )  # fmt: skip
