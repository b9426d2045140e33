"""The workshop series and a past tabletop exercise, with its after-action report, for the demo and `seed`.

Everything goes through the services, as the co-chairs would record it: the series (overview,
orientation and planning kick-off, status workshop, tabletop exercise) over the past year, a
partnership meeting to come, attendance by organization, and an ice-storm tabletop whose areas for
improvement have corrective actions that are tasks. Every date counts from today on the community's clock,
and a meeting is attended only by organizations that had taken their seat by its day.
"""

from __future__ import annotations

import datetime
import random

from commonground.core.timezones import zone_of

from .seeding import community_today, pick

SERIES = [
    ("overview", "Partnership overview", 400, "Why a public-private partnership; the six steps; who should be at the table."),
    ("kickoff", "Orientation and planning kick-off", 330, "Co-chairs introduced; the stakeholder list; common issues raised."),
    ("status", "Status workshop: the community's risks", 210, "Each organization's hazards and critical functions; the risk profile."),
]  # fmt: skip
SCENARIO = (
    "Freezing rain for three days brings down lines across the three counties: 60% of customers lose power, "
    "the interstate closes, the water plant runs on its generator and fuel deliveries stop."
)
OBJECTIVES = [
    ("Open and supply warming centres within six hours of a widespread outage", "Mass Care Services"),
    ("Keep fuel flowing to hospitals, the water plant and grocers", "Supply Chain Integrity and Security"),
    ("Give the public one consistent message from agencies and businesses", "Public Information and Warning"),
]
STRENGTHS = [
    (0, "Shelter partners knew their roles and opened two centres in four hours."),
    (2, "The joint information line with the chamber of commerce reached businesses the same morning."),
]
IMPROVEMENTS = [
    (0, "No backup power at the second shelter", "Pre-wire the second shelter for a portable generator", 100, "done", "equipment"),
    (1, "No agreed order for scarce fuel deliveries", "Agree a fuel priority list with distributors", 150, "in_progress", "planning"),
]  # fmt: skip


def seed_meetings(community, *, seed: int = 1, actor=None) -> int:
    """Record the workshop series, a past tabletop exercise with its report, and a meeting to come.

    Attendance is drawn from the organizations seated by each meeting (their membership's `created`), so
    the demo calls this once its table's history is played.
    """
    from django.db.models import Exists, OuterRef

    from commonground.communities.models import Membership
    from commonground.registry.models import Organization
    from commonground.risks.models import Hazard
    from commonground.sustainability import services

    rng = random.Random(seed)
    zone = zone_of(community) or datetime.UTC
    today = community_today(community)

    def at(days: int, hour: int) -> datetime.datetime:
        # on the community's own clock: a workshop at 09:00 where it meets, whatever the server's zone
        return datetime.datetime.combine(
            today + datetime.timedelta(days=days), datetime.time(hour), tzinfo=zone
        )

    at_table = Organization.objects.in_community(community).order_by("name", "pk")
    if not at_table.exists():
        return 0

    def attended(meeting, share: float) -> dict:
        # those at the table by the meeting's day; a workshop seats a few hundred at most, however large the table
        seated = list(
            at_table.filter(
                Exists(
                    Membership.objects.filter(
                        community=community, organization=OuterRef("pk"), created__lte=meeting.starts_at
                    )
                )
            )[:400]
        )
        present = {o: rng.randint(1, 3) for o in seated if rng.random() < share}
        services.attendance_record(actor=actor, meeting=meeting, attendance=present)
        return present

    meetings = []
    for kind, title, days_ago, agenda in SERIES:
        meeting = services.meeting_create(
            actor=actor, community=community, kind=kind, title=title, starts_at=at(-days_ago, 9),
            ends_at=at(-days_ago, 12), location="Riverbend Community College", agenda=agenda,
        )  # fmt: skip
        attended(meeting, 0.45 + 0.1 * len(meetings))
        meetings.append(meeting)
    exercise = services.meeting_create(
        actor=actor, community=community, kind="tabletop", title="Ice storm tabletop exercise",
        starts_at=at(-90, 13), ends_at=at(-90, 17),
        location="Regional emergency operations centre", scenario=SCENARIO,
        agenda="Situation briefing; three modules (first hours, day two, recovery); hot wash.",
        scenario_hazards=list(Hazard.objects.filter(community=None, code__in=["ice_storm", "power_failure"])),
        after_action_summary="Partners worked well together in the first hours; fuel and backup power were the gaps.",
    )  # fmt: skip
    players = attended(exercise, 0.7)
    objectives = [
        services.objective_create(actor=actor, meeting=exercise, text=text, capability=capability)
        for text, capability in OBJECTIVES
    ]
    for index, text in STRENGTHS:
        services.observation_create(
            actor=actor, meeting=exercise, kind="strength", objective=objectives[index], text=text
        )
    # the improvement plan names owners among the private and nonprofit players of the exercise
    owners = [o for o in players if o.sector != "public"] or list(players)
    for index, text, action, due_in, status, poete in IMPROVEMENTS:
        observation = services.observation_create(
            actor=actor, meeting=exercise, kind="improvement", objective=objectives[index], text=text, poete=poete,
            analysis="Found in the hot wash; owners named in the improvement plan.",
        )  # fmt: skip
        task = services.corrective_action_create(
            actor=actor, observation=observation, title=action,
            owner_organization=rng.choice(owners) if owners else pick(rng, at_table),
            due_on=today + datetime.timedelta(days=due_in - 90),
        )  # fmt: skip
        services.task_progress(
            actor=actor, task=task, status=status, note="Reported at the partnership meeting."
        )
    meetings.append(exercise)
    meetings.append(
        services.meeting_create(
            actor=actor,
            community=community,
            kind="meeting",
            title="Quarterly partnership meeting",
            starts_at=at(21, 10),
            location="Riverbend City Hall",
            agenda=f"Improvement plan progress; the {today.year + 1} agenda; resource database verification.",
        )  # fmt: skip
    )
    return len(meetings)


def top_needs(assessment, count: int) -> list:
    """Return the assessment's first `count` prioritized needs as the system sees them (every answer).

    The figures `needs_profile` gives the system, from one query grouped by item: it reads a row an
    organization and item, which at a state's size is a million rows in memory.
    """
    from django.db.models import Count, F, Q, Sum

    from commonground.core.tlp import TLP
    from commonground.sustainability.models import NeedsAnswer
    from commonground.sustainability.priorities import ItemNeed, NeedsProfile

    answers = NeedsAnswer.objects.submitted().filter(
        item__assessment=assessment, organization__memberships__community_id=F("community_id")
    )
    figures = {
        row["item_id"]: row
        for row in answers.order_by()
        .values("item_id")
        .annotate(
            organizations=Count("organization", distinct=True),
            with_need=Count("organization", filter=Q(level__lt=F("importance")), distinct=True),
            n=Count("pk"),
            importance=Sum("importance"),
            level=Sum("level"),
        )
    }
    needs = []
    for item in assessment.items.all():
        row = figures.get(item.pk)
        need = ItemNeed(item=item)
        if row and row["n"]:
            need.organizations, need.with_need = row["organizations"], row["with_need"]
            need.importance = round(row["importance"] / row["n"], 2)
            need.level = round(row["level"] / row["n"], 2)
        needs.append(need)
    return NeedsProfile(assessment, needs, TLP.GREEN, 0).ranked[:count]


def seed_plans(community, *, seed: int = 1, actor=None) -> int:
    """Set goals against the top prioritized needs, with tasks from the model's templates in every status."""
    from commonground.registry.models import Organization
    from commonground.sustainability import services
    from commonground.sustainability.choices import TASK_TEMPLATES, TaskStatus
    from commonground.sustainability.models import NeedsAssessment

    rng = random.Random(seed)
    assessment = NeedsAssessment.objects.filter(community=community).first()
    owners = Organization.objects.in_community(community).order_by("name", "pk")
    if assessment is None or not owners.exists():
        return 0
    top = [need.item for need in top_needs(assessment, 4)]
    today = community_today(community)
    goals = [
        services.goal_create(actor=actor, community=community, needs=top[:2], target_date=today + datetime.timedelta(days=365),
                             statement="Every member has a current, exercised emergency and continuity plan",
                             measure="Member plans reviewed with a public partner; one tabletop exercise a year"),
        services.goal_create(actor=actor, community=community, needs=top[2:], target_date=today + datetime.timedelta(days=540),
                             statement="Critical supplies keep moving in a regional disruption",
                             measure="Fuel and food priority lists agreed; the resource database verified twice a year"),
    ]  # fmt: skip
    made = 0
    for goal in goals:
        for template, status in zip(TASK_TEMPLATES, TaskStatus.values, strict=True):
            task = services.task_create(
                actor=actor, goal=goal, template=template, owner_organization=pick(rng, owners),
                due_on=today + datetime.timedelta(days=rng.randint(-60, 300)),
            )  # fmt: skip
            if status != TaskStatus.PLANNED:
                services.task_progress(actor=actor, task=task, status=status, note="Reported by the owner.")
            made += 1
    return made
