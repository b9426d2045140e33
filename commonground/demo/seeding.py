"""Create synthetic communities at any size through the real import path."""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from commonground.communities import services as community_services
from commonground.communities.models import Community
from commonground.core.timezones import community_today
from commonground.registry.imports import OrganizationImporter, PersonImporter

from . import generators

# Records a query reads, or a bulk insert writes, at a time: memory stays flat however large the community.
BATCH = 2000


@dataclass
class SeedResult:
    community: Community
    organizations: int
    people: int
    resources: int = 0
    assessments: int = 0
    endorsements: int = 0


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
    """Create (or fill) a community with synthetic organizations and people; the same seed gives the same data.

    Every step streams: the rows are generated as the import reads them (the organizations' rows again,
    from the same seed, for their people and resources) and the later steps walk the table a batch at a
    time, so memory stays flat however large the community.
    """

    def organization_rows():
        return generators.organization_rows(organizations, seed=seed, spread=spread)

    with transaction.atomic():
        community = Community.objects.filter(slug=slug).first() or community_services.community_create(
            actor=None,
            name=name,
            slug=slug,
            description="Synthetic community made by `commonground seed`.",
            **generators.REGION,
        )
        report = OrganizationImporter(actor=None, community=community).run_rows(
            generators.numbered(organization_rows()), progress=progress
        )
        if not report.ok:
            raise RuntimeError(f"seeding organizations failed: {report.errors[:3]}")
        people = 0
        if people_per_organization:
            names = (row["name"] for row in organization_rows())
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
                generators.numbered(
                    generators.resource_rows(
                        organization_rows(),
                        resources_per_organization,
                        seed=seed,
                        today=community_today(community),
                    )
                )
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


def batched(items: Iterable, size: int = BATCH) -> Iterator[list]:
    """Yield lists of at most `size` of the items, in order."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def organizations_by_name(queryset, *, size: int = BATCH) -> Iterator[list]:
    """Yield the organizations of `queryset` in name order, a batch at a time.

    Each batch is one query that starts after the last one's (name, id), on the (name, id) index, so
    a walk of the whole table costs the same per organization and holds one batch at a time.
    """
    ordered = queryset.order_by("name", "pk")
    after = None
    while True:
        page = (
            ordered
            if after is None
            else ordered.filter(Q(name__gt=after[0]) | Q(name=after[0], pk__gt=after[1]))
        )
        batch = list(page[:size])
        if batch:
            yield batch
        if len(batch) < size:
            return
        after = (batch[-1].name, batch[-1].pk)


def pick(rng: random.Random, queryset):
    """Return `rng.choice(list(queryset))`, drawing the same number, without loading the list: the count,
    then the one record at the drawn place (None when there is none)."""
    count = queryset.count()
    if not count:
        return None
    return queryset[rng.choice(range(count))]


def insert_audited(actor, community: Community, *records: Iterable, size: int = BATCH) -> int:
    """Insert organizations' new records of the community in bulk, a batch at a time, each with the audit
    entry its service writes (without the values): how `commonground seed` writes at size. Returns the
    records inserted.

    Each record's description (`str`) must read only relations it holds, so that an entry takes no query:
    a batch is its inserts and one statement of audit entries, however many records it holds.
    """
    from commonground.core import audit

    inserted = 0
    with transaction.atomic():
        for iterable in records:
            for batch in batched(iterable, size):
                model = type(batch[0])
                made = _insert(model, batch)
                audit.bulk_record_created(
                    actor, model,
                    ((record.pk, str(record), _values(record),
                      {"community_id": community.pk, "organization_id": record.organization_id})
                     for record in made),
                    with_values=False,
                )  # fmt: skip
                inserted += len(batch)
    return inserted


def _insert(model, records: list) -> list:
    """Insert new records in one statement (bulk_create takes one per 80 rows on SQLite), setting their keys.

    core.bulk takes one parameter a column on PostgreSQL (UNNEST), as bulk_create does there, without the
    ORM's per-field work.
    """
    from commonground.core.bulk import insert_returning_ids

    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    rows = [[field.pre_save(record, True) for field in fields] for record in records]
    for record, pk in zip(records, insert_returning_ids(model, [f.name for f in fields], rows), strict=True):
        record.pk = pk
        record._state.adding, record._state.db = False, "default"
    return records


def _values(record) -> dict:
    return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}


def seed_risks(
    community: Community, *, share: float, seed: int = 1, actor=None, through_services: bool = False
) -> int:
    """Give `share` of the community's organizations critical functions and hazard self-assessments.

    The demo goes through the services, as its users would; `commonground seed` writes in bulk (with
    the same audit entries) a batch of organizations at a time. Returns the assessments made.
    """
    from commonground.registry.models import Organization
    from commonground.risks import services as risk_services
    from commonground.risks.models import CriticalFunction, Hazard, HazardAssessment

    from .risk_rows import assessment_rows, function_rows

    hazards = {h.code: h for h in Hazard.objects.for_community(community)}
    today = community_today(community)
    table = Organization.objects.in_community(community)
    # Who is chosen is drawn first, one number an organization, then the scores: the chooser draws the
    # first numbers and `rng` starts where they end, so a walk a batch at a time draws what a list did.
    chooser, rng = random.Random(seed), random.Random(seed)
    for _organization in range(table.count()):
        rng.random()
    made = 0
    for batch in organizations_by_name(table):
        functions, assessments = [], []
        for organization in (o for o in batch if chooser.random() < share):
            for name, serves, downtime in function_rows(organization.category):
                values = dict(
                    name=name, serves_community=serves, max_downtime_hours=downtime, tlp="TLP:AMBER"
                )
                if through_services:
                    risk_services.function_create(
                        actor=actor, community=community, organization=organization, **values
                    )
                else:
                    functions.append(
                        CriticalFunction(community=community, organization=organization, **values)
                    )
            for row in assessment_rows(organization.category, rng=rng, today=today):
                hazard = hazards[row.pop("hazard")]
                if through_services:
                    risk_services.hazard_assessment_create(
                        actor=actor, community=community, organization=organization, hazard=hazard, **row
                    )
                else:
                    assessments.append(
                        HazardAssessment(community=community, organization=organization, hazard=hazard, **row)
                    )
        insert_audited(actor, community, functions)
        made += insert_audited(actor, community, assessments)
    if through_services:
        return HazardAssessment.objects.in_community(community).count()
    return made


def seed_issues(community: Community, *, seed: int = 1, actor=None, through_services: bool = False) -> int:
    """Put the common issues of `issue_rows` to the community's table, endorsed by the organizations they concern.

    The co-chairs' decisions follow `DEMO_FATE` (the demo also merges a duplicate). As with `seed_risks`,
    the demo endorses through the services and `commonground seed` in bulk, a batch at a time. Returns
    the endorsements made.
    """
    from commonground.agenda import services as agenda_services
    from commonground.agenda.models import Endorsement
    from commonground.registry.choices import categories
    from commonground.registry.models import Organization
    from commonground.risks.models import Hazard

    from .issue_rows import DEMO_FATE, ISSUES, concerns, endorsement_rows

    rng = random.Random(seed)
    hazards = {h.code: h for h in Hazard.objects.for_community(community)}
    table = Organization.objects.in_community(community).order_by("name", "pk")
    codes = [c["code"] for c in categories()]
    issues = {}
    for row in ISSUES:
        concerned = table.filter(category__in=[code for code in codes if concerns(code, row["hazards"])])
        proposer = pick(rng, concerned) if concerned.exists() else pick(rng, table)
        if proposer is None:
            return 0
        fields = {k: v for k, v in row.items() if k != "hazards"}
        issue = agenda_services.issue_propose(
            actor=actor, community=community, organization=proposer, severity=4,
            hazards=[hazards[code] for code in row["hazards"]], **fields,
        )  # fmt: skip
        issues[issue.title] = issue
        organizations = itertools.chain.from_iterable(organizations_by_name(table))
        endorsements = (
            Endorsement(issue=issue, **values)
            for values in endorsement_rows(row, organizations, rng=rng)
            if values["organization"] != proposer
        )
        if through_services:
            for endorsement in endorsements:
                agenda_services.endorsement_save(
                    actor=actor, issue=issue, organization=endorsement.organization,
                    severity=endorsement.severity, comment=endorsement.comment,
                )  # fmt: skip
        else:
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
    so the prioritized needs look like a real table's. `commonground seed` writes the answers in bulk,
    a batch of organizations at a time. Returns the answers made.
    """
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

    def answers():
        for organization in itertools.chain.from_iterable(
            organizations_by_name(Organization.objects.in_community(community))
        ):
            if rng.random() >= share:
                continue
            public = organization.sector == "public"
            rows = []
            for item in items:
                low = item.mission_area in ("response", "recovery") and not public
                level = max(
                    1, min(5, rng.choice([1, 2, 2, 3, 3, 4]) - (1 if low else 0) + (1 if public else 0))
                )
                importance = rng.choice([2, 3, 4, 4, 5, 5])
                poete = rng.choice(Poete.values) if level < importance else ""
                rows.append({"item": item, "level": level, "importance": importance, "poete": poete})
            if through_services:
                needs_services.needs_answers_save(
                    actor=actor, assessment=assessment, organization=organization,
                    answers=[{**row, "item": row["item"].pk} for row in rows],
                )  # fmt: skip
            else:
                # the item itself, not its id: each answer's audit entry names it without a query
                yield from (
                    NeedsAnswer(community=community, organization=organization, **row) for row in rows
                )

    insert_audited(actor, community, answers())
    return NeedsAnswer.objects.filter(item__assessment=assessment).count()
