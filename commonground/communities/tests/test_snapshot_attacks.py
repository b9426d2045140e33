"""Review (attacker): writes that change what a community's cached snapshot reads without drawing a new token for
that community. Each test compares the cached snapshot with an uncached build after the write."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from commonground.communities import services as community_services
from commonground.communities import snapshots
from commonground.communities.models import Membership, ProgressStamp
from commonground.core import audit
from commonground.registry import services as registry_services
from commonground.resources import services as resource_services
from commonground.sustainability import services as plan_services

pytestmark = pytest.mark.usefixtures("touch_at_once")


def _cached_equals_built(community) -> None:
    assert snapshots.as_data(snapshots.snapshot(community)) == snapshots.as_data(snapshots.build(community))


def _to_private(organization) -> None:
    registry_services.organization_update(
        actor=None,
        organization=organization,
        data={"sector": "private", "category": "large_employer", "level": ""},
    )


def _leaves_a_generator_behind(table) -> None:
    """The public organization records a resource at the table, then leaves it; the snapshot is cached now,
    under the token the removal drew."""
    cache.clear()
    resource_services.resource_create(
        actor=None, community=table.community, organization=table.public_org, kind="equipment",
        category="esf12", tlp="TLP:CLEAR", name="Fire engine generator",
    )  # fmt: skip
    _leave(table)
    _cached_equals_built(table.community)


def _leave(table) -> None:
    membership = Membership.objects.get(community=table.community, organization=table.public_org)
    community_services.membership_remove(actor=None, membership=membership)


def test_a_departed_organization_s_sector_change_reaches_the_table_its_resources_stay_at(table):
    """An organization's resources stay at a table it leaves (`resources.leaving` keeps them); step 4 counts them
    by their holder's sector. A later change of that sector names the organization, which no longer sits at the
    table: an organization's entries must draw new tokens there too (they draw them everywhere)."""
    _leaves_a_generator_behind(table)
    _to_private(table.public_org)
    _cached_equals_built(table.community)


def test_a_departed_organization_s_sector_change_reaches_the_attendance_it_left_behind(table):
    """The measures' attendance counts each past meeting's organizations by their sector now, seated or not."""
    cache.clear()
    meeting = plan_services.meeting_create(
        actor=None, community=table.community, kind="overview", title="Overview",
        starts_at=timezone.now() - datetime.timedelta(hours=2),
    )  # fmt: skip
    plan_services.attendance_record(actor=None, meeting=meeting, attendance={table.public_org: 3})
    _leave(table)
    _cached_equals_built(table.community)
    _to_private(table.public_org)
    _cached_equals_built(table.community)


def test_deleting_a_departed_organization_reaches_the_table_its_resources_stay_at(table):
    """Deleting the organization deletes its resources (CASCADE) at a table it no longer sits at: the entry
    names only the organization, which sits at no table."""
    _leaves_a_generator_behind(table)
    registry_services.organization_delete(actor=table.facilitator, organization=table.public_org)
    _cached_equals_built(table.community)


def test_a_write_draws_its_new_token_once_it_commits_and_not_before(
    table, django_capture_on_commit_callbacks
):
    """Nothing is drawn inside the writer's transaction (no stamp row held while the table's other writers wait);
    the commit draws it, and the snapshot cached before is read no more."""
    with django_capture_on_commit_callbacks(execute=True):
        audit.touched_everything()
    cache.clear()
    _cached_equals_built(table.community)
    token = ProgressStamp.objects.get(community=table.community).token
    with django_capture_on_commit_callbacks(execute=True) as drawn:
        community_services.community_update(
            actor=None, community=table.community, data={"coverage_threshold": 1}
        )
        assert ProgressStamp.objects.get(community=table.community).token == token
    assert drawn
    assert ProgressStamp.objects.get(community=table.community).token != token
    table.community.refresh_from_db()
    _cached_equals_built(table.community)


def test_a_rolled_back_write_draws_no_token_and_leaves_the_cached_snapshot_as_it_was(
    table, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        audit.touched_everything()
    cache.clear()
    _cached_equals_built(table.community)
    token = ProgressStamp.objects.get(community=table.community).token
    with (
        django_capture_on_commit_callbacks(execute=True) as drawn,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        community_services.community_update(
            actor=None, community=table.community, data={"coverage_threshold": 1}
        )
        raise RuntimeError
    assert not drawn
    table.community.refresh_from_db()
    assert ProgressStamp.objects.get(community=table.community).token == token
    _cached_equals_built(table.community)
