"""The demo loads once and is safe to run again, and its partnership has two years behind it, so every chart and
trend of the dashboard has something to show. Regression: its organizations were named like "Summit Bakery (101)" and all joined in one quarter, so
the growth chart read 0, 0, 0, 42."""

import datetime
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from commonground.agenda.models import Issue
from commonground.communities.models import Community, Membership
from commonground.communities.progress import community_progress
from commonground.core.models import AuditEntry
from commonground.demo import demo_data
from commonground.registry.models import Invitation, Organization
from commonground.sustainability.measures import sustainability_measures
from commonground.sustainability.models import NeedsAnswer, Task


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo is built once for the module (it takes tens of seconds) and rolled back after it: its
    community, and what `demo` printed."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--no-serve", stdout=out)
        yield Community.objects.get(slug=demo_data.SLUG), out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def community(demo_loaded, db):
    return demo_loaded[0]


def test_demo_loads_once_and_is_safe_to_run_twice(demo_loaded, db):
    community, printed = demo_loaded
    again = io.StringIO()
    call_command("demo", no_serve=True, stdout=again)
    assert "cochair.public" in printed and "already loaded" in again.getvalue()
    steps = community_progress(community)
    assert steps[0].is_done and steps[1].is_done
    assert steps[4].is_done, steps[4].summary  # most of the table has assessed its hazards
    assert steps[2].is_done, steps[2].summary  # adopted issues endorsed by both sectors
    assert set(Issue.objects.values_list("status", flat=True)) == {
        "proposed",
        "adopted",
        "set_aside",
        "merged",
    }
    assert Issue.objects.filter(agenda_rank__isnull=False).count() == 3
    assert steps[5].is_done, steps[5].summary  # needs, goals, tasks in every status, one done
    assert NeedsAnswer.objects.values("organization").distinct().count() > 10


def test_the_organizations_have_real_looking_names(community):
    names = list(Organization.objects.in_community(community).values_list("name", flat=True))
    assert len(names) >= 45
    assert not [name for name in names if re.search(r"\(\d+\)", name)]


def test_the_table_grew_over_two_years(community):
    measures = sustainability_measures(community)
    seats = [count for _quarter, count in measures.growth]
    assert seats[0] > 0 and seats == sorted(seats) and seats[-1] > seats[0], measures.growth
    joined = Membership.objects.filter(community=community).values_list("created", flat=True)
    assert max(joined) - min(joined) > datetime.timedelta(days=600)
    assert max(joined) < timezone.now()
    # the audit log tells the same story as the records
    membership = Membership.objects.filter(community=community).order_by("created").first()
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Membership),
        object_id=str(membership.pk),
        action="create",
    )
    assert entry.at == membership.created


def test_meetings_were_attended_and_tasks_done_over_time(community):
    measures = sustainability_measures(community)
    assert len(measures.attendance) == 5 and all(row["total"] > 0 for row in measures.attendance)
    assert measures.done_on_time and measures.done > measures.done_on_time and measures.overdue
    done = sorted(
        Task.objects.filter(goal__community=community, status="done").values_list("completed_on", flat=True)
    )
    assert done[-1] - done[0] > datetime.timedelta(days=365)


def test_invitations_were_sent_and_accepted_over_time(community):
    invitations = list(Invitation.objects.filter(community=community))
    accepted = sorted(i.accepted_at for i in invitations if i.accepted_at)
    assert len(accepted) >= 10 and accepted[-1] - accepted[0] > datetime.timedelta(days=365)
    assert all(i.created < i.accepted_at for i in invitations if i.accepted_at)
    statuses = {i.display_status for i in invitations}
    assert {"accepted", "pending", "expired"} <= {str(status) for status in statuses}
