"""The program's rows kept under its token (`program.stamp`): read from the cache between writes, read again
once any write of a table they read commits (audited, the worker's, or one no entry records), never before its
token is drawn, and never one kind of reader's rows given to another."""

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.communities import services as community_services
from commonground.communities.tests.factories import CommunityFactory, MembershipFactory
from commonground.core import audit
from commonground.core.visibility import ANONYMOUS
from commonground.program import networks, progress, selectors, stamp
from commonground.program.models import ProgramStamp
from commonground.program.services import progress_refresh
from commonground.registry.tests.factories import OrganizationFactory
from commonground.socialcapital.models import NetworkSnapshot
from commonground.socialcapital.services import snapshot_compute

from .test_pages import STATISTICS, program  # noqa: F401 - the fixture

SMALL_NETWORK = "SMALL-NETWORK-MARKER-4410"


@pytest.fixture(autouse=True)
def _nothing_kept():
    cache.clear()
    stamp._local.clear()
    yield
    cache.clear()
    stamp._local.clear()


def tables_read(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql))


class Recording(stamp.Shared):
    """Reads every kept row from the database, noting the tables each read."""

    def __init__(self):
        self.token, self.tables, self.names = "recording", set(), set()

    def rows(self, name, read):
        with CaptureQueriesContext(connection) as queries:
            found = read()
        self.names.add(name)
        self.tables |= set().union(*(tables_read(query["sql"]) for query in queries.captured_queries))
        return found


def read_everything(viewer, shared) -> None:
    selectors.statistics(viewer=viewer, shared=shared)
    progress.progress_by_step(viewer=viewer, shared=shared)
    selectors.community_places(viewer=viewer, shared=shared)
    networks.network_measures(viewer=viewer, shared=shared)


def viewers(table):
    from commonground.core.viewer import viewer_for

    return [ANONYMOUS, viewer_for(table.member), viewer_for(table.facilitator)]


def test_every_table_the_kept_rows_read_has_a_rule(program):  # noqa: F811
    """A new figure that reads a table no rule keeps fresh fails here: add its model to SOURCES (and check that
    whatever writes that table audits the write, or says it wrote: `core.audit.touched`)."""
    recording = Recording()
    for viewer in viewers(program):
        read_everything(viewer, recording)
    assert {"registry_organization", "communities_membership", "registry_person", "program_steprecord",
            "socialcapital_networksnapshot", "newsletters_newsletter", "communities_community"} <= recording.tables  # fmt: skip
    assert recording.tables - stamp.source_tables() == set()
    assert "incidents" not in recording.names  # the reader's own: never kept under the token alone


def test_the_guard_finds_a_table_without_a_rule(program, monkeypatch):  # noqa: F811
    monkeypatch.setattr(stamp, "SOURCES", stamp.SOURCES - {"program.steprecord"})
    recording = Recording()
    read_everything(ANONYMOUS, recording)
    assert recording.tables - stamp.source_tables() == {"program_steprecord"}


def figure(client, key="organizations"):
    response = client.get(STATISTICS)
    assert response.status_code == 200
    return {f["key"]: f["cell"] for f in response.context["figures"]}[key].value


def test_nothing_is_kept_before_a_write_draws_the_first_token(client, program):  # noqa: F811
    assert not ProgramStamp.objects.exists()
    before = figure(client)
    MembershipFactory(community=program.community, organization=OrganizationFactory(sector="private"))
    assert figure(client) == before + 1


def test_the_rows_are_kept_between_writes_and_read_again_after_one(
    client,
    program,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        audit.touched_everything()
    token = stamp.token()
    assert token
    first = figure(client)
    with CaptureQueriesContext(connection) as queries:
        selectors.statistics(viewer=ANONYMOUS)
    assert len(queries) == 2, [q["sql"] for q in queries]  # the token, and the reader's incidents
    # A seat no entry records is not seen (the rows are kept) until a write draws a new token.
    MembershipFactory(community=program.community, organization=OrganizationFactory(sector="private"))
    assert figure(client) == first
    with django_capture_on_commit_callbacks(execute=True):
        community_services.membership_create(
            actor=None, community=program.other_community, organization=OrganizationFactory(sector="public")
        )
    assert stamp.token() != token
    assert figure(client) == first + 2


def test_a_write_that_rolls_back_draws_no_token(program, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        stamp.touch()
    token = stamp.token()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                community_services.membership_create(
                    actor=None, community=program.community, organization=OrganizationFactory()
                )
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert not callbacks
    assert stamp.token() == token


@pytest.mark.parametrize("write", ["steps", "network"])
def test_the_workers_writes_draw_a_new_token(program, django_capture_on_commit_callbacks, write):  # noqa: F811
    """Step states and network snapshots are the system's readings, written with no audit entry."""
    with django_capture_on_commit_callbacks(execute=True):
        stamp.touch()
    token = stamp.token()
    with django_capture_on_commit_callbacks(execute=True):
        if write == "steps":
            progress_refresh(community=program.community)
        else:
            snapshot_compute(community=program.community)
    assert stamp.token() != token


def test_a_facilitators_networks_are_never_a_visitors(client, program, django_capture_on_commit_callbacks):  # noqa: F811
    """A network of two organizations is the facilitators' alone; whoever reads first, the other is not given
    the rows kept for them."""
    small = CommunityFactory(name=SMALL_NETWORK)
    now = timezone.now()
    NetworkSnapshot.objects.create(
        community=small, month=now.date().replace(day=1), as_of=now, computed_at=now,
        measures={"organizations": 2, "ties": 1, "density": {"value": 1.0}},
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        audit.touched(NetworkSnapshot)
    assert stamp.token()

    def sees(user) -> bool:
        client.logout()
        if user is not None:
            client.force_login(user)
        rows = client.get(STATISTICS).context["network"][
            "rows"
        ]  # its name is public (the map); its row is not
        return SMALL_NETWORK in {row["community__name"] for row in rows}

    for user, expected in ((program.facilitator, True), (None, False), (program.member, False)) * 2:
        assert sees(user) == expected, user
    cache.clear()
    stamp._local.clear()
    for user, expected in ((None, False), (program.facilitator, True), (None, False)):
        assert sees(user) == expected, user


def test_a_community_made_after_the_rows_were_read_is_listed_with_its_seats_suppressed(
    client,
    program,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """Between a write's commit and its token, the kept rows do not count a new community that the progress
    table (read fresh) may list: it is shown and sorted as a suppressed figure, never an error, never its count."""
    with django_capture_on_commit_callbacks(execute=True):
        stamp.touch()
    assert client.get(STATISTICS).status_code == 200  # the rows kept
    newer = CommunityFactory(name="Aaa Newer Basin", state="WY")
    for _i in range(5):
        MembershipFactory(community=newer, organization=OrganizationFactory(sector="public"))
    for user in (None, program.facilitator):
        client.logout()
        if user is not None:
            client.force_login(user)
        for sort in ("name", "-organizations", "organizations"):
            response = client.get(f"{STATISTICS}?sort={sort}")
            assert response.status_code == 200
            rows = {row["community"].pk: row for row in response.context["progress"]}
            # The page lists as many communities as the kept rows count (`progress.listed`): the newer one may
            # fall beyond it; where it is listed, its seats are suppressed and it sorts as the suppressed do.
            assert newer.pk not in rows or rows[newer.pk]["organizations"].suppressed, (user, sort)
            if newer.pk in rows and user is None and sort != "name":
                listed = [row["community"].pk for row in response.context["progress"]]
                after = [rows[pk]["organizations"] for pk in listed[listed.index(newer.pk) :]]
                assert all(cell.suppressed for cell in after), sort
    assert client.get(f"{STATISTICS}?sort=name").context["progress"][0]["community"] == newer


def test_the_growth_is_counted_once_for_the_same_rows(program, monkeypatch):  # noqa: F811
    """The growth's sums are part of what is kept under the rows (`kept.computed`): a second reading with the
    same rows counts nothing again."""
    first = selectors.statistics(viewer=ANONYMOUS)

    def counted_again(**kwargs):
        raise AssertionError("the growth was counted again")

    monkeypatch.setattr(selectors, "growth_counts", counted_again)
    assert selectors.statistics(viewer=ANONYMOUS)["growth"] == first["growth"]
