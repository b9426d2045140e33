"""The ties read from the record, what they leave out, the snapshot the worker keeps."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from commonground.conftest import IMMEDIATE_TASKS
from commonground.socialcapital.models import NetworkSnapshot
from commonground.socialcapital.services import month_end, snapshot_compute
from commonground.socialcapital.tasks import snapshot_network
from commonground.socialcapital.ties import network_organizations, network_ties

from .records import build_network


@pytest.fixture
def network(table):
    return build_network(table)


def test_each_kind_of_tie_is_read_from_its_record(table, network):
    ties = network_ties(table.community, timezone.now())
    public, private, nonprofit = table.public_org.pk, table.private_org.pk, network.nonprofit.pk

    def pair(a, b):
        return ties[(min(a, b), max(a, b))]

    assert pair(public, private) == {"invitation": 1, "meeting": 1, "agreement": 1, "mutual_aid": 1}
    assert pair(private, nonprofit) == {"meeting": 1, "endorsement": 1}
    assert pair(public, nonprofit) == {"meeting": 1, "goal": 1}
    # The restricted issue and agreement tie nobody: the lonely organization stays alone.
    assert not [p for p in ties if network.lonely.pk in p]
    assert len(ties) == 3


def test_the_record_as_it_stood(table, network):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    assert network_ties(table.community, yesterday) == {}
    # Organizations that joined later are not yet nodes.
    assert network_organizations(table.community, yesterday) == []
    names = [org["name"] for org in network_organizations(table.community, timezone.now())]
    assert names == sorted(names) and len(names) == 4


def test_a_snapshot_keeps_the_measures_and_a_month_keeps_its_latest(table, network):
    first = snapshot_compute(community=table.community)
    measures = first.measures
    assert measures["organizations"] == 4 and measures["ties"] == 3
    assert measures["isolated"]["ids"] == [network.lonely.pk]
    assert measures["density"]["value"] == pytest.approx(3 / 6)
    # Public-private and public-nonprofit cross; private-nonprofit stays on the business side.
    assert measures["bridging"]["share"] == pytest.approx(2 / 3)
    assert measures["strength"]["levels"] == {"1": 0, "2": 1, "3": 1, "4": 1}
    again = snapshot_compute(community=table.community)
    assert again.pk == first.pk and NetworkSnapshot.objects.count() == 1
    assert "Secret" not in str(again.measures)


def test_an_earlier_month_is_read_at_its_end_and_a_later_one_refused(table, network):
    last_month = (timezone.now().date().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    snapshot = snapshot_compute(community=table.community, month=last_month)
    assert snapshot.as_of == month_end(last_month) and snapshot.measures["organizations"] == 0
    with pytest.raises(ValueError):
        snapshot_compute(community=table.community, month=datetime.date(2999, 1, 1))


def test_the_worker_measures_and_the_command_queues(table, network, settings):
    settings.TASKS = IMMEDIATE_TASKS
    result = snapshot_network.enqueue(table.community.pk)
    assert NetworkSnapshot.objects.get(pk=result.return_value).community == table.community
    assert snapshot_network.call(999999) == 0
    call_command("snapshot_networks", "--community", table.community.slug, "--months", "3")
    assert NetworkSnapshot.objects.filter(community=table.community).count() == 3
    assert NetworkSnapshot.objects.filter(community=table.other_community).count() == 0


def test_a_history_measures_each_month_oldest_first(table, network):
    from commonground.socialcapital.services import network_history

    snapshots = network_history(table.community, months=3)
    assert [s.month for s in snapshots] == sorted(s.month for s in snapshots)
    assert [s.measures["organizations"] for s in snapshots] == [0, 0, 4]


def test_a_plenary_ties_nobody(table, network):
    from commonground.registry.tests.factories import OrganizationFactory
    from commonground.socialcapital.choices import GROUP_TIE_MAX_ORGANIZATIONS
    from commonground.sustainability.models import Attendance, Meeting

    plenary = Meeting.objects.create(
        community=table.community, kind="meeting", title="All hands", starts_at=timezone.now()
    )
    for i in range(GROUP_TIE_MAX_ORGANIZATIONS + 1):
        Attendance.objects.create(meeting=plenary, organization=OrganizationFactory(name=f"Guest {i}"))
    ties = network_ties(table.community, timezone.now())
    assert len(ties) == 3 and all(types.get("meeting") == 1 for types in ties.values())
