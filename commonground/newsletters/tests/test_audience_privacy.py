"""Regressions (attacker review): a newsletter is read by its audience only, the recipients' addresses follow
their contact marking, and an issue's audience is named only to a co-chair who may see the issue."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from commonground.agenda.models import Endorsement
from commonground.conftest import IMMEDIATE_TASKS
from commonground.core.testing import watching_writes
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.newsletters import services
from commonground.newsletters.audience import newsletter_audience
from commonground.newsletters.choices import AudienceKind
from commonground.newsletters.models import Newsletter, Section, Segment

from .records import issue
from .test_newsletters import send


@pytest.fixture
def queue_at_once(settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE_TASKS
    return django_capture_on_commit_callbacks


NARROW = "COCHAIRS-ONLY-MARKER-6203"
OPEN = "CLEAR-FOR-ALL-MARKER-6204"
STRICT_ISSUE = "STRICT-AUDIENCE-ISSUE-MARKER-6205"


def sent_to(table, queue_at_once, kind, *, public=False, **extra) -> Newsletter:
    """A newsletter of a GREEN section (NARROW) and a CLEAR one (OPEN), with a GREEN introduction, sent."""
    newsletter = Newsletter.objects.create(community=table.community, subject="Narrow news", intro=NARROW)
    Section.objects.create(newsletter=newsletter, heading="For you", body=NARROW, tlp=TLP.GREEN)
    Section.objects.create(newsletter=newsletter, heading="For all", body=OPEN, tlp=TLP.CLEAR)
    services.newsletter_update(
        actor=table.cochair, newsletter=newsletter, data={"audience_kind": kind, "public": public, **extra}
    )
    send(table, newsletter, queue_at_once)
    return newsletter


def readings(table, role, newsletter) -> list[str]:
    """What the role reads of it: the page, the API's item, list and archive (404s and absences as "")."""
    client, api = Client(), APIClient()
    client.force_login(table.user(role))
    api.force_authenticate(table.user(role))
    page = client.get(reverse("newsletters:detail", args=["riverbend", newsletter.pk]))
    item = api.get(f"/api/v1/newsletters/{newsletter.pk}/")
    return [
        page.content.decode() if page.status_code == 200 else "",
        item.content.decode() if item.status_code == 200 else "",
        api.get("/api/v1/newsletters/", {"community": "riverbend"}).content.decode(),
        api.get("/api/v1/newsletters/archive/").content.decode(),
    ]


@pytest.mark.parametrize(
    ("kind", "extra", "readers", "others"),
    [
        (
            AudienceKind.COCHAIRS,
            {},
            ["cochair", "facilitator"],
            ["member", "admin", "other_admin", "outsider"],
        ),
        (AudienceKind.SECTOR, {"audience_sector": "public"}, ["other_admin", "cochair"], ["member", "admin"]),
    ],
)
def test_a_narrow_newsletter_is_read_by_its_recipients_and_not_by_the_rest_of_the_table(
    table,
    queue_at_once,
    kind,
    extra,
    readers,
    others,
):
    newsletter = sent_to(table, queue_at_once, kind, **extra)
    for role in readers:
        page, item, listed, archive = readings(table, role, newsletter)
        assert NARROW in page and NARROW in item and NARROW in listed and NARROW in archive, role
    for role in others:
        assert not any(NARROW in text or OPEN in text for text in readings(table, role, newsletter)), role


def test_a_public_edition_gives_the_rest_of_the_table_only_its_clear_parts(table, queue_at_once):
    newsletter = sent_to(table, queue_at_once, AudienceKind.COCHAIRS, public=True)
    for text in readings(table, "member", newsletter):
        assert OPEN in text and NARROW not in text
    assert NARROW in readings(table, "cochair", newsletter)[0]
    # The table's page, the API, the archive and the public page and feed read the one rule.
    assert set(Newsletter.objects.visible_to(viewer_for(None))) == {newsletter}


def test_the_audience_shows_an_address_only_where_the_persons_contact_details_are_shown(client, table):
    newsletter = Newsletter.objects.create(community=table.community, subject="All")
    hidden = table.other_admin.person
    hidden.contact_tlp = TLP.RED  # the named people only: themselves
    hidden.save()
    client.force_login(table.cochair)
    body = client.get(reverse("newsletters:audience", args=["riverbend", newsletter.pk])).content.decode()
    assert table.other_admin.email not in body and table.member.email in body
    assert table.other_admin.get_full_name() in body
    preview = client.get(
        reverse("newsletters:preview", args=["riverbend", newsletter.pk]), {"recipient": table.other_admin.pk}
    ).content.decode()
    assert table.other_admin.email not in preview
    api = APIClient()
    api.force_authenticate(table.cochair)
    rows = {
        row["id"]: row for row in api.get(f"/api/v1/newsletters/{newsletter.pk}/audience/").json()["results"]
    }
    assert rows[table.other_admin.pk]["email"] == "" and rows[table.member.pk]["email"] == table.member.email
    answer = api.get(
        f"/api/v1/newsletters/{newsletter.pk}/preview/", {"recipient": table.other_admin.pk}
    ).json()
    assert answer["to"] == "" and table.other_admin.email not in str(answer)


def test_an_issue_the_co_chair_may_not_see_names_no_audience(client, table, queue_at_once):
    """A draft (or a saved segment) naming another's AMBER+STRICT issue: its endorsers are not listed, the
    issue is not offered, and sending it writes nothing."""
    strict = issue(table, STRICT_ISSUE, TLP.AMBER_STRICT, organization=table.private_org)
    Endorsement.objects.create(issue=strict, organization=table.public_org, severity=3)
    segment = Segment.objects.create(
        community=table.community, name="Hidden", kind=AudienceKind.ISSUE, issue=strict
    )
    newsletter = Newsletter.objects.create(
        community=table.community, subject="Issue news", intro="x", audience_kind=AudienceKind.ISSUE,
        audience_issue=strict,
    )  # fmt: skip
    cochair = viewer_for(table.cochair)
    assert not newsletter_audience(newsletter, viewer=cochair).exists()
    assert newsletter_audience(newsletter, viewer=viewer_for(table.admin)).exists()  # who may see it
    client.force_login(table.cochair)
    body = client.get(reverse("newsletters:audience", args=["riverbend", newsletter.pk])).content.decode()
    assert table.other_admin.email not in body and table.admin.email not in body
    assert "Nobody is in this audience." in body
    form = client.get(reverse("newsletters:edit", args=["riverbend", newsletter.pk])).content.decode()
    assert STRICT_ISSUE not in form and f'value="{segment.pk}"' not in form
    api = APIClient()
    api.force_authenticate(table.cochair)
    assert api.get(f"/api/v1/newsletters/{newsletter.pk}/audience/").json()["count"] == 0
    with watching_writes() as watch, pytest.raises(ValidationError):
        services.newsletter_send(actor=table.cochair, newsletter=newsletter)
    assert not watch.changed
