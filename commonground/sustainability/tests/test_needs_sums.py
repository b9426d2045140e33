"""The needs profile from the kept block sums (`sustainability.needs_sums`): the tables they read, marker values
no reader may see, a community no write has stamped, and the cost of the first reading after a write
(`test_needs_sums_writes.py` holds them to the direct figures after random writes)."""

from __future__ import annotations

import datetime
import pickle
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.communities.models import Membership
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry.models import Organization
from commonground.registry.tests.factories import OrganizationFactory
from commonground.sustainability import needs_sums
from commonground.sustainability import services as needs_services
from commonground.sustainability.models import NeedsAnswer, NeedsSums, NeedsSumsStamp
from commonground.sustainability.priorities import gather_needs_profile, needs_measures

from .test_needs_sums_writes import MARKER, answers_of, the_same

pytestmark = pytest.mark.usefixtures("touch_at_once")


def tables_read(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql))


@pytest.mark.django_db
def test_every_table_the_kept_sums_read_has_a_rule(table):
    """A measure or a condition that reads another table fails here: add its rule to SOURCES (and check that
    the services writing that table audit their writes with the organizations they change)."""
    assessment = needs_services.needs_assessment_open(
        actor=None, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    item = assessment.items.first()
    needs_services.needs_answers_save(
        actor=None, assessment=assessment, organization=table.public_org, tlp=TLP.AMBER,
        answers=[{"item": item.pk, "level": 2, "importance": 4}], recipient_organizations=[table.private_org],
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        needs_sums.class_sums(assessment, answers_of(assessment), needs_measures(), None, again=True)
    read = set().union(*(tables_read(query["sql"]) for query in queries.captured_queries))
    assert {"sustainability_needsanswer", "registry_organization", "communities_membership"} <= read
    ruled = {apps.get_model(label)._meta.db_table for label in needs_sums.SOURCES}
    own = {NeedsSums._meta.db_table, NeedsSumsStamp._meta.db_table}
    assert (read & set(connection.introspection.table_names())) - ruled - own == set()
    # A reader's correction is kept too (`needs_sums._correction`): it reads whom the answers name, which only
    # `needs_answers_save` writes, with an entry naming the answer's organization (a change of it alone too).
    named = NeedsAnswer.recipient_organizations.through._meta.db_table
    viewer = viewer_for(table.member)
    with CaptureQueriesContext(connection) as queries:
        gather_needs_profile(viewer=viewer, assessment=assessment)
    read = set().union(*(tables_read(query["sql"]) for query in queries.captured_queries))
    assert named in read
    tables = set(connection.introspection.table_names())
    shown = {"sustainability_needsitem", "sustainability_needsassessment"}  # the profile's own rows
    assert (read & tables) - ruled - own - shown - {named, "communities_progressstamp"} == set()


@pytest.mark.django_db
def test_marker_values_of_two_organizations_never_reach_a_member_whatever_was_kept_before(table):
    """Two organizations' TLP:AMBER answers carry a level of 1 no one else gives: the co-chair reads them first
    (the sums are kept then), the member after; the member's level is its own organization's 5 until a third
    organization's restricted answer stands beside them, and counts a naming organization's as seen."""
    assessment = needs_services.needs_assessment_open(
        actor=None, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    item = assessment.items.order_by("pk").first()
    marked = [OrganizationFactory(name=f"Marked {n}", sector="private") for n in range(3)]
    for organization in marked:
        Membership.objects.create(community=table.community, organization=organization)

    def save(organization, level, tlp, named=()):
        needs_services.needs_answers_save(
            actor=None, assessment=assessment, organization=organization, tlp=tlp, recipient_organizations=named,
            answers=[{"item": item.pk, "level": level, "importance": level, "comment": MARKER}],
        )  # fmt: skip

    def level(user):
        profile = gather_needs_profile(
            viewer=viewer_for(get_user_model().objects.get(pk=user.pk)), assessment=assessment
        )
        assert MARKER.encode() not in pickle.dumps(profile)
        return next(n for n in profile.items if n.item.pk == item.pk).level

    save(table.private_org, 5, TLP.GREEN)
    save(marked[0], 1, TLP.AMBER)
    save(marked[1], 1, TLP.AMBER)
    assert level(table.cochair) == round(7 / 3, 2)
    assert level(table.member) == 5
    save(marked[1], 1, TLP.AMBER, named=[table.private_org])  # the member sees it now; one left hidden
    assert level(table.cochair) == round(7 / 3, 2)
    assert level(table.member) == 3
    save(marked[2], 1, TLP.AMBER_STRICT)  # two hidden beside the named one: still withheld
    assert level(table.member) == 3
    save(marked[1], 1, TLP.AMBER)  # three hidden: they count, as three organizations' answers
    assert level(table.member) == 2
    for viewer in (viewer_for(get_user_model().objects.get(pk=u.pk)) for u in (table.member, table.cochair)):
        the_same(viewer, assessment)


@pytest.mark.django_db
def test_at_a_community_no_write_has_stamped_every_reading_sums_the_answers(
    table, django_capture_on_commit_callbacks
):
    """Until a write's callbacks stamp the community (never, in a test's transaction unless run), no block's
    token would be drawn anew: nothing is kept, and each reading sees the last write."""
    assessment = needs_services.needs_assessment_open(
        actor=None, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    item = assessment.items.order_by("pk").first()
    viewer = viewer_for(table.cochair)
    for level in (2, 4):
        needs_services.needs_answers_save(
            actor=None, assessment=assessment, organization=table.public_org, tlp=TLP.AMBER,
            answers=[{"item": item.pk, "level": level, "importance": 5}],
        )  # fmt: skip
        profile = gather_needs_profile(viewer=viewer, assessment=assessment)
        assert next(n for n in profile.items if n.item.pk == item.pk).level == level
    assert not NeedsSums.objects.exists()


@pytest.mark.django_db
def test_the_first_reading_after_a_write_at_one_organization_costs_the_same_whatever_the_answers(
    table, monkeypatch
):
    """Its statements read the changed block and the reader's, whatever the number of organizations."""
    from django.db.models import Count

    monkeypatch.setattr(needs_sums, "BLOCK", 4)
    assessment = needs_services.needs_assessment_open(
        actor=None, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    items = list(assessment.items.order_by("pk")[:3])
    viewer = viewer_for(table.member)

    def answer(organization, level):
        needs_services.needs_answers_save(
            actor=None, assessment=assessment, organization=organization, tlp=TLP.AMBER,
            answers=[{"item": item.pk, "level": level, "importance": 4} for item in items],
        )  # fmt: skip

    def grow(count):
        for n in range(count):
            organization = OrganizationFactory(
                name=f"Grown {Organization.objects.count()} {n}", sector="private"
            )
            Membership.objects.create(community=table.community, organization=organization)
            answer(organization, 1 + n % 5)

    def first_reading_after_a_write(level: int) -> int:
        gather_needs_profile(viewer=viewer, assessment=assessment)
        answer(table.public_org, level)
        with CaptureQueriesContext(connection) as queries:
            gather_needs_profile(viewer=viewer, assessment=assessment)
        return len(queries.captured_queries)

    answer(table.public_org, 1)  # its block holds answers before each write: its old sums are read
    grow(6)
    small = first_reading_after_a_write(2)
    grow(40)
    assert first_reading_after_a_write(3) == small
    rows = NeedsSums.objects.values("name").annotate(n=Count("pk")).filter(n__gt=1)
    assert not rows.exists()
