"""The program's pages and API: who sees what, suppression of small figures, sorting, and a fixed query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commonground.communities.models import Membership
from commonground.communities.tests.factories import CommunityFactory, MembershipFactory
from commonground.conftest import IMMEDIATE_TASKS
from commonground.core.tlp import TLP
from commonground.incidents.tests.records import open_incident
from commonground.program import kept, progress, selectors
from commonground.program.models import StepRecord
from commonground.program.services import progress_refresh, progress_refresh_all
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory

STATISTICS = "/program/"
TABLE = "/program/communities/"
AMBER_MARKER = "AMBER-INCIDENT-MARKER-7781"
RED_MARKER = "RED-COMMUNITY-MARKER-5521"


def seat(community, count, sector="private", months_ago=0):
    """Seat `count` new organizations of a sector at a community's table, joined `months_ago` months ago."""
    organizations = []
    for _i in range(count):
        extra = {"level": "local", "category": "fire"} if sector == "public" else {}
        organization = OrganizationFactory(sector=sector, **extra)
        membership = MembershipFactory(community=community, organization=organization)
        when = timezone.now() - datetime.timedelta(days=31 * months_ago)
        Membership.objects.filter(pk=membership.pk).update(created=when)
        PersonFactory(organization=organization)
        organizations.append(organization)
    return organizations


@pytest.fixture
def program(table):
    """The table's two communities; riverbend has 1 public and 1 private organization, elsewhere 1 private: the
    private sector rests on 2 organizations, the public on 1. An AMBER incident with a marker title."""
    open_incident(table, tlp=TLP.AMBER, title=AMBER_MARKER)
    progress_refresh_all()
    return table


def test_a_visitor_sees_the_page_with_small_figures_suppressed(client, program):
    response = client.get(STATISTICS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Program statistics" in body and "Riverbend" in body
    # Organizations: 3 in all, but the sectors rest on 1 and 2 organizations: suppressed, and it says so.
    assert "suppressed" in body and "rests on one or two organizations" in body
    growth = response.context["growth"]["rows"][-1]
    public, private, nonprofit = (
        growth["organizations"][selectors.SECTORS.index(s)] for s in ("public", "private", "nonprofit")
    )
    assert public.suppressed and private.suppressed
    assert nonprofit.value == 0 and not nonprofit.suppressed  # none rests on no one
    # The total less the shown parts tells the two suppressed ones together: 3 organizations, so it stands.
    assert growth["organizations_total"].value == 3
    # The AMBER incident is neither named nor counted.
    assert AMBER_MARKER not in body
    incidents = {f["key"]: f["cell"] for f in response.context["figures"]}["incidents"]
    assert incidents.value == 0 and not incidents.suppressed
    # Visitors do not open communities from the page.
    assert reverse("communities:dashboard", args=["riverbend"]) not in body


def test_a_sector_of_two_organizations_is_suppressed_and_three_are_shown(client, program):
    private = selectors.SECTORS.index("private")
    row = client.get(STATISTICS).context["growth"]["rows"][-1]
    assert row["organizations"][private].suppressed  # Great Lakes Logistics and Elsewhere Bakery: 2
    seat(program.other_community, 1)
    seat(program.other_community, 2, sector="public")
    row = client.get(STATISTICS).context["growth"]["rows"][-1]
    assert not row["organizations"][private].suppressed and row["organizations"][private].value == 3


def test_a_single_small_sector_takes_the_smallest_sector_of_three_with_it(client, program):
    """Public 1 beside private 3 and the total 4: the total less the private sector would tell the public one,
    so the private sector is suppressed too (complementary suppression)."""
    seat(program.other_community, 1)
    row = client.get(STATISTICS).context["growth"]["rows"][-1]
    public, private = (row["organizations"][selectors.SECTORS.index(s)] for s in ("public", "private"))
    assert public.suppressed and private.suppressed


def test_a_facilitator_sees_full_figures_and_opens_communities(client, program):
    client.force_login(program.facilitator)
    response = client.get(STATISTICS)
    body = response.content.decode()
    row = response.context["growth"]["rows"][-1]
    assert not any(cell.suppressed for cell in row["organizations"])
    assert {f["key"]: f["cell"] for f in response.context["figures"]}["incidents"].value == 1
    assert reverse("communities:dashboard", args=["riverbend"]) in body
    assert "suppressed" not in body


def test_growth_is_cumulative_month_by_month(client, table):
    community = CommunityFactory(state="TX")
    seat(community, 3, months_ago=5)
    seat(community, 2, sector="public", months_ago=2)
    client.force_login(table.facilitator)
    rows = selectors.growth(viewer=client.get(STATISTICS).context["view"].viewer)["rows"]
    private, public = selectors.SECTORS.index("private"), selectors.SECTORS.index("public")
    assert rows[-8]["organizations"][private].value == 0
    assert rows[-4]["organizations"][private].value == 3 and rows[-4]["organizations"][public].value == 0
    assert rows[-1]["organizations"][private].value == 3 + 2  # the table's two private organizations too
    assert rows[-1]["organizations"][public].value == 2 + 1


def test_two_suppressed_parts_of_one_organization_each_take_a_third_with_them(client, table):
    seat(table.community, 3, sector="nonprofit")  # public 1, private 2, non-profit 3
    table.private_org.memberships.all().delete()  # public 1, private 1 (Elsewhere Bakery), non-profit 3
    row = client.get(STATISTICS).context["growth"]["rows"][-1]
    # The public and private parts suppressed rest on two organizations together: the total less the
    # non-profits would tell they are one and one, so the non-profits are suppressed too.
    assert row["organizations"][selectors.SECTORS.index("nonprofit")].suppressed
    assert row["organizations_total"].value == 5


def test_the_facilitators_table_sorts_by_every_column(client, program):
    CommunityFactory(name="Austin Basin", state="TX")
    progress_refresh_all()
    client.force_login(program.facilitator)
    for key in progress.SORTS:
        for sort in (key, f"-{key}"):
            response = client.get(TABLE, {"sort": sort})
            assert response.status_code == 200, sort
    body = client.get(TABLE, {"sort": "-state"}).content.decode()
    assert 'aria-sort="descending"' in body
    names = [row["community"].name for row in client.get(TABLE, {"sort": "state"}).context["progress"]]
    assert names[-1] == "Austin Basin"
    names = [row["community"].name for row in client.get(TABLE, {"sort": "-state"}).context["progress"]]
    assert names[0] == "Austin Basin"
    # A column that does not exist sorts by name, never a server error.
    assert client.get(TABLE, {"sort": "password"}).status_code == 200
    assert reverse("communities:dashboard", args=["riverbend"]) in body


@pytest.mark.parametrize("role", ["member", "cochair", "admin", "outsider"])
def test_only_facilitators_see_the_table(client, program, role):
    client.force_login(program.user(role))
    assert client.get(TABLE).status_code == 403
    before = StepRecord.objects.count()
    assert client.post(reverse("program:refresh")).status_code == 403
    assert StepRecord.objects.count() == before


def test_a_visitor_is_sent_to_log_in(client, program):
    assert client.get(TABLE).status_code == 302


def test_refresh_computes_in_the_worker(client, table, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE_TASKS
    client.force_login(table.facilitator)
    assert not StepRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("program:refresh")).status_code == 302
    assert StepRecord.objects.filter(community=table.community).count() == 6


def test_the_api_suppresses_for_visitors_and_not_for_facilitators(client, program):
    from rest_framework.test import APIClient

    api = APIClient()
    data = api.get("/api/v1/program/statistics/").json()
    assert data["full"] is False
    assert data["growth"][-1]["organizations"]["private"] == {"value": None, "suppressed": True}
    assert AMBER_MARKER not in str(data)
    listed = api.get("/api/v1/program/communities/", {"sort": "-steps_done"}).json()
    assert {row["slug"] for row in listed["results"]} == {"riverbend", "elsewhere"}
    assert all(step["summary"] == "" for row in listed["results"] for step in row["steps"])
    api.force_authenticate(program.facilitator)
    data = api.get("/api/v1/program/statistics/").json()
    assert data["full"] is True and data["growth"][-1]["organizations"]["private"]["value"] == 2


def test_queries_do_not_grow_with_the_communities(client, program):
    def count(user):
        if user:
            client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            for path in (STATISTICS, "/api/v1/program/statistics/", "/api/v1/program/communities/"):
                assert client.get(path).status_code == 200
            if user:
                assert client.get(TABLE).status_code == 200
        return len(queries)

    few = count(None), count(program.facilitator)
    client.logout()
    for index in range(8):
        community = CommunityFactory(state=["TX", "OR", "NC", "KS"][index % 4])
        seat(community, 3)
        progress_refresh(community=community)
    assert (count(None), count(program.facilitator)) == few


def test_the_command_computes_every_community_or_one(table):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("refresh_progress", "--dry-run", stdout=out)
    assert "2 community(ies) would be computed" in out.getvalue() and not StepRecord.objects.exists()
    call_command("refresh_progress", "--community", "riverbend", stdout=out)
    assert set(StepRecord.objects.values_list("community__slug", flat=True)) == {"riverbend"}
    with pytest.raises(CommandError):
        call_command("refresh_progress", "--community", "nowhere", stdout=out)


def test_newsletters_sent_count_the_public_editions_for_a_visitor_and_all_for_a_facilitator(client, program):
    from commonground.newsletters.models import Newsletter

    community = program.community
    Newsletter.objects.create(community=community, subject="Draft", status="draft", public=True)
    Newsletter.objects.create(community=community, subject="Members only", status="sent")
    Newsletter.objects.create(community=community, subject="Published", status="sent", public=True)

    def sent():
        return {f["key"]: f["cell"] for f in client.get(STATISTICS).context["figures"]}["newsletters"].value

    assert sent() == 1
    client.force_login(program.facilitator)
    assert sent() == 2


def test_a_visitor_gets_the_ends_of_quarters_where_the_months_between_are_suppressed(client, db, monkeypatch):
    """One private organization joins each month, beside steady public and non-profit sectors: most months add
    one organization (suppressed, with their neighbours, when the months are settled alone), but every quarter
    adds three, so settled first a visitor gets the private figure at the end of most quarters, and the charts
    draw the quarters."""
    community = CommunityFactory(state="TX", name="Monthly Basin")
    for sector in ("public", "nonprofit"):
        seat(community, 4, sector=sector, months_ago=14)
    for months_ago in range(12):
        seat(community, 1, months_ago=months_ago)
    private = selectors.SECTORS.index("private")

    def private_at_quarters():
        context = client.get(STATISTICS).context
        quarters = [row for row in context["growth"]["rows"] if row["quarter_end"]]
        return context, [
            None if row["organizations"][private].suppressed else row["organizations"][private].value
            for row in quarters
        ]

    context, shown = private_at_quarters()
    rows = context["growth"]["rows"]
    quarters = [row for row in rows if row["quarter_end"]]
    assert len(rows) == 24 and len(quarters) in (8, 9) and rows[-1]["quarter_end"]
    assert context["growth_chart"]["labels"] == [row["quarter"] for row in quarters]
    assert context["growth_chart"]["organizations"][private]["data"] == shown
    assert len([value for value in shown[-4:] if value is not None]) >= 3
    monkeypatch.setattr(selectors, "_quarters_first", lambda *args: None)
    kept.forget()  # the figures computed from the same rows were kept
    _context, months_alone = private_at_quarters()
    assert len([value for value in months_alone if value is not None]) < len(
        [value for value in shown if value is not None]
    )


def test_the_api_marks_the_ends_of_quarters_and_its_schema_says_so(client, program):
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.test import APIClient

    rows = APIClient().get("/api/v1/program/statistics/").json()["growth"]
    assert len(rows) == 24 and rows[-1]["quarter_end"] is True
    assert [row["quarter_end"] for row in rows] == [
        datetime.date.fromisoformat(row["month"]).month % 3 == 0 or index == 23
        for index, row in enumerate(rows)
    ]
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "quarter_end" in schema["components"]["schemas"]["GrowthRow"]["properties"]
    client.force_login(program.facilitator)
    assert len(client.get(STATISTICS).context["growth_chart"]["labels"]) == 24


def test_figures_kept_for_one_reader_are_never_anothers(client, program):
    """The statistics computed from one reader's rows are kept under those rows: a co-chair who sees the AMBER
    incident, and a facilitator who gets it in full, leave nothing that a visitor or a plain member reads."""

    def incidents(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(STATISTICS)
        assert AMBER_MARKER not in response.content.decode()
        cell = {f["key"]: f["cell"] for f in response.context["figures"]}["incidents"]
        return None if cell.suppressed else cell.value

    for _round in range(2):
        assert incidents(None) == 0
        assert incidents(program.cochair) is None  # one incident, one organization's: suppressed
        assert incidents(program.member) == 0
        assert incidents(program.facilitator) == 1
    assert len(kept._computed) >= 3, "the visitor's and member's, the co-chair's and the facilitator's"


def test_the_kept_statistics_follow_a_new_seat(client, program):
    before = client.get(STATISTICS).context["growth"]["rows"][-1]["organizations_total"].value
    seat(program.community, 3)
    after = client.get(STATISTICS).context["growth"]["rows"][-1]["organizations_total"].value
    assert after == before + 3


def test_the_table_sorted_by_organizations_follows_which_communities_are_suppressed(client, program):
    """The sorted list is read by SQL kept under its name (`progress_list`), which names the suppressed
    communities: once Riverbend's seats are shown, it sorts by them, whoever read the list before."""

    def order(user=None):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(f"{STATISTICS}?sort=-organizations")
        assert response.status_code == 200
        return [
            (row["community"].pk, row["organizations"].suppressed) for row in response.context["progress"]
        ]

    before = order()
    assert (program.community.pk, True) in before  # two organizations: suppressed
    seat(program.community, 2)  # four: shown, and the other community's three, so that neither gives it away
    seat(program.other_community, 2)
    for user in (None, program.facilitator, None):
        assert order(user)[0] == (program.community.pk, False), user
