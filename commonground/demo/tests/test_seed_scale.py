"""`commonground seed` streams: every step's data at any size, in queries that grow with batches, not rows.

Nothing here is timed; `bench/seed_scale.py` measures the memory and time.
"""

import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.agenda.models import Endorsement, Issue
from commonground.core.models import AuditEntry
from commonground.demo import seeding
from commonground.registry.models import Organization, Person
from commonground.resources.models import Resource
from commonground.risks.models import CriticalFunction, HazardAssessment
from commonground.sustainability.models import Goal, Meeting, NeedsAnswer, Task


def seed(slug: str, organizations: int) -> tuple[seeding.SeedResult, int]:
    with CaptureQueriesContext(connection) as queries:
        result = seeding.seed_community(
            slug=slug, name=slug.title(), organizations=organizations, resources_per_organization=2,
            assessing_share=0.6, issues=True, seed=3,
        )  # fmt: skip
    return result, len(queries.captured_queries)


def step_counts(community) -> dict[str, int]:
    answers = NeedsAnswer.objects.filter(community=community)
    return {
        "organizations": Organization.objects.in_community(community).count(),
        "people": Person.objects.filter(organization__memberships__community=community).count(),
        "resources": Resource.objects.filter(community=community).count(),
        "critical functions": CriticalFunction.objects.filter(community=community).count(),
        "hazard assessments": HazardAssessment.objects.filter(community=community).count(),
        "issues": Issue.objects.filter(community=community).count(),
        "endorsements": Endorsement.objects.filter(issue__community=community).count(),
        "needs answers": answers.count(),
        "goals": Goal.objects.filter(community=community).count(),
        "tasks": Task.objects.filter(goal__community=community).count(),
        "meetings": Meeting.objects.filter(community=community).count(),
        "answers' audit entries": AuditEntry.objects.filter(
            community_id=community.pk, content_type=ContentType.objects.get_for_model(NeedsAnswer)
        ).count(),
    }


@pytest.mark.django_db
def test_seed_writes_every_step_in_queries_that_do_not_grow_with_its_size():
    seed("warm-up", 3)  # content types, hazards, templates: cached once a process
    small, small_queries = seed("small", 30)
    large, large_queries = seed("large", 120)
    small_counts, large_counts = step_counts(small.community), step_counts(large.community)
    for step, count in small_counts.items():
        assert count > 0, f"no {step} at 30 organizations"
        assert large_counts[step] >= count, step
    assert large_counts["answers' audit entries"] == large_counts["needs answers"]
    assert large_counts["resources"] == 240 and large_counts["people"] == 240
    rows = sum(large_counts.values()) - sum(small_counts.values())
    assert rows > 2500
    # Both sizes fit in one batch of every step: four times the table takes the same queries, give or
    # take the few that depend on the data (an issue nobody endorsed writes no batch). A query a
    # record (the needs answers' descriptions once read their item each) would add thousands.
    assert abs(large_queries - small_queries) <= 12, (small_queries, large_queries)


@pytest.mark.django_db
def test_seed_describes_answers_in_audit_entries_without_a_query_each():
    result, _queries = seed("described", 10)
    answer = NeedsAnswer.objects.filter(community=result.community).select_related("organization", "item")[0]
    entry = AuditEntry.objects.get(object_id=str(answer.pk), content_type__model="needsanswer")
    assert entry.object_repr == str(answer)[:300]
    assert entry.organization_id == answer.organization_id and entry.action == "create"


@pytest.mark.django_db
def test_pick_draws_what_a_choice_from_the_list_draws():
    for community_size in (1, 7, 50):
        for n in range(community_size):
            Organization.objects.create(name=f"Pick {community_size}-{n:02d}", sector="private")
        table = Organization.objects.filter(name__startswith=f"Pick {community_size}-").order_by("name", "pk")
        listed, picked = random.Random(5), random.Random(5)
        for _ in range(5):
            assert seeding.pick(picked, table) == listed.choice(list(table))
    assert seeding.pick(random.Random(1), Organization.objects.none()) is None


def test_batched_keeps_order_and_size():
    assert list(seeding.batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(seeding.batched([], 3)) == []


@pytest.mark.django_db
def test_seed_plans_rank_the_needs_as_the_needs_profile_does():
    from commonground.core.services import SYSTEM
    from commonground.demo.exercises import top_needs
    from commonground.sustainability.models import NeedsAssessment
    from commonground.sustainability.priorities import needs_profile

    result, _queries = seed("ranked", 40)
    assessment = NeedsAssessment.objects.get(community=result.community)
    profile = needs_profile(viewer=SYSTEM, assessment=assessment).ranked
    ranked = top_needs(assessment, len(profile))
    assert [(n.item, n.organizations, n.with_need, n.importance, n.level) for n in ranked] == [
        (n.item, n.organizations, n.with_need, n.importance, n.level) for n in profile
    ]
    goals = Goal.objects.filter(community=result.community).prefetch_related("needs")
    assert {item for goal in goals for item in goal.needs.all()} == {n.item for n in profile[:4]}
