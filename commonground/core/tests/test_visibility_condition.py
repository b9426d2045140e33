"""The TLP condition written to compile cheaply (issue 17) lets every viewer see exactly the records the one it
replaced did (`legacy_visibility.py`): every marked model (and the audit log, which copies markings), every
marking, every role, and viewers drawn at random from the world's organizations, people and communities.

The world is the TLP leak test's (every marked model planted at every marking), with organizations and people
named as recipients on every record that can name them, so that the recipients' terms are exercised."""

from __future__ import annotations

import pytest
from django.db.models import BooleanField, Case, Value, When
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.communities.models import Community
from commonground.communities.selectors import organizations_at
from commonground.core.models import AuditEntry
from commonground.core.testing import ROLES
from commonground.core.tlp import TLP
from commonground.core.visibility import ANONYMOUS, Viewer, VisibilityQuerySet, marked_models
from commonground.registry.models import Organization, Person

from .legacy_visibility import legacy_tlp_q

pytestmark = pytest.mark.django_db

MODELS = [*marked_models(), AuditEntry]


@pytest.fixture(scope="module")
def world(leak_world, django_db_blocker):
    """The leak world, each record that can name recipients naming two organizations and one person."""
    with django_db_blocker.unblock():
        organizations = list(Organization.objects.order_by("pk"))
        people = list(Person.objects.order_by("pk"))
        named = 0
        for model in marked_models():
            options = model.TLPOptions
            relations = getattr(options, "recipient_organizations", None) or ()
            relations = (relations,) if isinstance(relations, str) else relations
            for i, record in enumerate(model._base_manager.order_by("pk")):
                for relation in relations:
                    getattr(record, relation).add(organizations[i % len(organizations)])
                    getattr(record, relation).add(organizations[(i * 3 + 1) % len(organizations)])
                    named += 1
                if getattr(options, "recipient_people", None):
                    getattr(record, options.recipient_people).add(people[i % len(people)])
                    named += 1
        assert named, "no record names a recipient: the recipients' terms are not exercised"
    return leak_world


def shown(model, condition) -> tuple[set[int], set[int], set[int]]:
    """The records the condition keeps, those `exclude` keeps, and those an annotation marks visible."""
    rows = model._base_manager.all()
    annotated = rows.annotate(
        seen=Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    return (
        set(rows.filter(condition).values_list("pk", flat=True)),
        set(rows.exclude(condition).values_list("pk", flat=True)),
        set(annotated.filter(seen=True).values_list("pk", flat=True)),
    )


def assert_same(viewer: Viewer) -> None:
    for model in MODELS:
        queryset = model.objects.all()
        new, old = VisibilityQuerySet.tlp_q(queryset, viewer), legacy_tlp_q(queryset, viewer)
        assert shown(model, new) == shown(model, old), (model.__name__, viewer)


def test_the_world_holds_every_marking_each_marked_model_allows(world):
    every = set()
    for model in marked_models():
        marking = getattr(model.TLPOptions, "marking", "tlp")
        held = set(model._base_manager.values_list(marking, flat=True))
        assert len(held) >= 2, (model.__name__, held)
        every |= held
    assert every == set(TLP)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_what_the_old_condition_showed(world, role):
    viewer = world.viewer(role)
    assert_same(viewer)
    if viewer.is_authenticated and not viewer.is_facilitator:
        # Not everything and not nothing of the records of other markings than TLP:CLEAR: a real audience.
        resources = [m for m in MODELS if m.__name__ == "Resource"][0]
        seen = shown(resources, VisibilityQuerySet.tlp_q(resources.objects.all(), viewer))[0]
        assert seen and seen != set(resources._base_manager.values_list("pk", flat=True))


@st.composite
def viewers(draw) -> Viewer:
    """A viewer of any organization, person and communities of the world, facilitator or not."""
    organizations = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    communities = list(Community.objects.order_by("pk").values_list("pk", flat=True))
    community_ids = frozenset(draw(st.sets(st.sampled_from(communities))))
    return Viewer(
        user_id=draw(st.integers(1, 10**6)),
        is_facilitator=draw(st.booleans()),
        person_id=draw(st.none() | st.sampled_from(people)),
        organization_id=draw(st.none() | st.sampled_from(organizations)),
        community_ids=community_ids,
        cochair_community_ids=frozenset(draw(st.sets(st.sampled_from(sorted(community_ids) or communities)))),
        # The domain's subquery, or the default that knows no organization (`core.aggregates.table_member`).
        organizations_at=draw(st.sampled_from([organizations_at, ANONYMOUS.organizations_at])),
    )


def test_the_least_privileged_member_sees_what_the_old_condition_showed(world):
    from commonground.core.aggregates import table_member

    for community in world.communities:
        assert_same(table_member(community.pk))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(viewer=viewers())
def test_any_viewer_sees_what_the_old_condition_showed(world, viewer):
    assert_same(viewer)


def test_the_recipients_subquery_is_compiled_once(world):
    """TLP:AMBER and TLP:AMBER+STRICT share the named recipients' EXISTS (it was written twice)."""
    from commonground.resources.models import Agreement

    viewer = world.viewer("admin_other")
    queryset = Agreement.objects.all()
    sql = str(queryset.filter(VisibilityQuerySet.tlp_q(queryset, viewer)).query).upper()
    old = str(queryset.filter(legacy_tlp_q(queryset, viewer)).query).upper()
    assert sql.count("EXISTS") == 2 and old.count("EXISTS") == 4, sql


def test_seen_by_answers_for_each_reader_what_its_list_answers_in_one_query(world, django_assert_num_queries):
    """`seen_by` (one query, one column a distinct reader) names the readers whose `visible_to` holds the record,
    for a record of every marked model at every marking it holds (each names recipients: `world`)."""
    viewers = [world.viewer(role) for role in ROLES]
    for model in marked_models():
        marking = getattr(model.TLPOptions, "marking", "tlp")
        first: dict[str, int] = {}
        for held, pk in model._base_manager.order_by("pk").values_list(marking, "pk"):
            first.setdefault(held, pk)
        assert len(first) >= 2, model.__name__
        for pk in first.values():
            expected = {v for v in viewers if model.objects.visible_to(v).filter(pk=pk).exists()}
            with django_assert_num_queries(1):
                assert model.objects.seen_by(pk, viewers) == expected, (model.__name__, pk)
