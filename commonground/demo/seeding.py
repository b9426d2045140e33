"""Create synthetic communities at any size through the real import path."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from commonground.communities import services as community_services
from commonground.communities.models import Community
from commonground.core.timezones import zone_of
from commonground.registry.imports import OrganizationImporter, PersonImporter

from . import generators


@dataclass
class SeedResult:
    community: Community
    organizations: int
    people: int
    resources: int = 0
    assessments: int = 0
    endorsements: int = 0


def community_today(community: Community) -> datetime.date:
    """Return today on the community's own clock: every date of the demo is counted from it, so it never ages."""
    return timezone.localdate(timezone=zone_of(community) or datetime.UTC)


def seed_community(
    *,
    slug: str,
    name: str,
    organizations: int,
    people_per_organization: int = 2,
    resources_per_organization: int = 0,
    spread: float = 0.05,
    assessing_share: float = 0.0,
    issues: bool = False,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> SeedResult:
    """Create (or fill) a community with synthetic organizations and people; the same seed gives the same data."""
    with transaction.atomic():
        community = Community.objects.filter(slug=slug).first() or community_services.community_create(
            actor=None,
            name=name,
            slug=slug,
            description="Synthetic community made by `commonground seed`.",
            **generators.REGION,
        )
        rows = list(generators.organization_rows(organizations, seed=seed, spread=spread))
        report = OrganizationImporter(actor=None, community=community).run_rows(
            generators.numbered(rows), progress=progress
        )
        if not report.ok:
            raise RuntimeError(f"seeding organizations failed: {report.errors[:3]}")
        people = 0
        if people_per_organization:
            names = [row["name"] for row in rows]
            people_report = PersonImporter(actor=None, community=community).run_rows(
                generators.numbered(generators.person_rows(names, people_per_organization, seed=seed))
            )
            if not people_report.ok:
                raise RuntimeError(f"seeding people failed: {people_report.errors[:3]}")
            people = people_report.created + people_report.updated
        resources = 0
        if resources_per_organization:
            from commonground.resources.imports import ResourceImporter

            resource_report = ResourceImporter(actor=None, community=community).run_rows(
                generators.numbered(generators.resource_rows(rows, resources_per_organization, seed=seed))
            )
            if not resource_report.ok:
                raise RuntimeError(f"seeding resources failed: {resource_report.errors[:3]}")
            resources = resource_report.created + resource_report.updated
        assessments = seed_risks(community, share=assessing_share, seed=seed) if assessing_share else 0
        endorsements = seed_issues(community, seed=seed) if issues else 0
        if assessing_share:
            from .exercises import seed_meetings, seed_plans

            seed_needs(community, share=assessing_share, seed=seed)
            seed_plans(community, seed=seed)
            seed_meetings(community, seed=seed)
    return SeedResult(
        community, report.created + report.updated, people, resources, assessments, endorsements
    )


def insert_audited(actor, community: Community, *record_lists: list) -> None:
    """Insert lists of organizations' records of the community in bulk, in one transaction, each with the
    audit entry its service writes: how `commonground seed` writes at size."""
    from commonground.core import audit

    with transaction.atomic():
        for records in record_lists:
            if not records:
                continue
            audit.bulk_record(
                audit.build_entry(actor=actor, action="create", instance=record, changes={},
                                  community_id=community.pk, organization_id=record.organization_id)
                for record in type(records[0]).objects.bulk_create(records, batch_size=2000)
            )  # fmt: skip


def seed_risks(
    community: Community, *, share: float, seed: int = 1, actor=None, through_services: bool = False
) -> int:
    """Give `share` of the community's organizations critical functions and hazard self-assessments.

    The demo goes through the services, as its users would; `commonground seed` writes in bulk (with
    the same audit entries) so that ten thousand organizations take seconds. Returns the assessments made.
    """
    import random

    from commonground.registry.models import Organization
    from commonground.risks import services as risk_services
    from commonground.risks.models import CriticalFunction, Hazard, HazardAssessment

    from .risk_rows import assessment_rows, function_rows

    rng = random.Random(seed)
    hazards = {h.code: h for h in Hazard.objects.for_community(community)}
    organizations = list(Organization.objects.in_community(community).order_by("name"))
    chosen = [o for o in organizations if rng.random() < share]
    functions, assessments = [], []
    for organization in chosen:
        for name, serves, downtime in function_rows(organization.category):
            values = dict(name=name, serves_community=serves, max_downtime_hours=downtime, tlp="TLP:AMBER")
            if through_services:
                risk_services.function_create(
                    actor=actor, community=community, organization=organization, **values
                )
            else:
                functions.append(CriticalFunction(community=community, organization=organization, **values))
        for row in assessment_rows(organization.category, rng=rng):
            hazard = hazards[row.pop("hazard")]
            if through_services:
                risk_services.hazard_assessment_create(
                    actor=actor, community=community, organization=organization, hazard=hazard, **row
                )
            else:
                assessments.append(
                    HazardAssessment(community=community, organization=organization, hazard=hazard, **row)
                )
    if through_services:
        return HazardAssessment.objects.in_community(community).count()
    insert_audited(actor, community, functions, assessments)
    return len(assessments)


def seed_issues(community: Community, *, seed: int = 1, actor=None, through_services: bool = False) -> int:
    """Put the common issues of `issue_rows` to the community's table, endorsed by the organizations they concern.

    The co-chairs' decisions follow `DEMO_FATE` (the demo also merges a duplicate). As with `seed_risks`,
    the demo endorses through the services and `commonground seed` in bulk. Returns the endorsements made.
    """
    import random

    from commonground.agenda import services as agenda_services
    from commonground.agenda.models import Endorsement
    from commonground.registry.models import Organization
    from commonground.risks.models import Hazard

    from .issue_rows import DEMO_FATE, ISSUES, concerns, endorsement_rows

    rng = random.Random(seed)
    hazards = {h.code: h for h in Hazard.objects.for_community(community)}
    organizations = list(Organization.objects.in_community(community).order_by("name"))
    issues, endorsements = {}, []
    for row in ISSUES:
        concerned = [o for o in organizations if concerns(o.category, row["hazards"])] or organizations
        proposer = rng.choice(concerned)
        fields = {k: v for k, v in row.items() if k != "hazards"}
        issue = agenda_services.issue_propose(
            actor=actor, community=community, organization=proposer, severity=4,
            hazards=[hazards[code] for code in row["hazards"]], **fields,
        )  # fmt: skip
        issues[issue.title] = issue
        for values in endorsement_rows(row, organizations, rng=rng):
            if values["organization"] == proposer:
                continue
            if through_services:
                agenda_services.endorsement_save(actor=actor, issue=issue, **values)
            else:
                endorsements.append(Endorsement(issue=issue, **values))
    insert_audited(actor, community, endorsements)
    for title, (decision, detail) in DEMO_FATE.items():
        if decision == "merge":
            if through_services:
                agenda_services.issue_merge(actor=actor, issue=issues[title], into=issues[detail])
        else:
            agenda_services.issue_decide(actor=actor, issue=issues[title], decision=decision, reason=detail)
    return Endorsement.objects.filter(issue__community=community).count()


def seed_needs(
    community: Community, *, share: float, seed: int = 1, actor=None, through_services: bool = False
) -> int:
    """Open a needs assessment from the template and have `share` of the organizations answer it.

    Levels lean low where the template's item is a response capability few private organizations hold,
    so the prioritized needs look like a real table's. Returns the answers made.
    """
    import random

    from commonground.registry.models import Organization
    from commonground.sustainability import services as needs_services
    from commonground.sustainability.choices import Poete
    from commonground.sustainability.models import NeedsAnswer

    rng = random.Random(seed)
    # Open three months ago for seven months, on the community's calendar: the demo never ages.
    opens_on = community_today(community) - datetime.timedelta(days=90)
    assessment = needs_services.needs_assessment_open(
        actor=actor, community=community, title=f"Partnership needs assessment {opens_on.year}",
        opens_on=opens_on, closes_on=opens_on + datetime.timedelta(days=210),
    )  # fmt: skip
    items = list(assessment.items.all())
    answers = []
    for organization in Organization.objects.in_community(community).order_by("name"):
        if rng.random() >= share:
            continue
        public = organization.sector == "public"
        rows = []
        for item in items:
            low = item.mission_area in ("response", "recovery") and not public
            level = max(1, min(5, rng.choice([1, 2, 2, 3, 3, 4]) - (1 if low else 0) + (1 if public else 0)))
            importance = rng.choice([2, 3, 4, 4, 5, 5])
            poete = rng.choice(Poete.values) if level < importance else ""
            rows.append({"item": item.pk, "level": level, "importance": importance, "poete": poete})
        if through_services:
            needs_services.needs_answers_save(
                actor=actor, assessment=assessment, organization=organization, answers=rows
            )
        else:
            answers += [NeedsAnswer(community=community, organization=organization, item_id=row.pop("item"), **row)
                        for row in rows]  # fmt: skip
    insert_audited(actor, community, answers)
    return NeedsAnswer.objects.filter(item__assessment=assessment).count()
