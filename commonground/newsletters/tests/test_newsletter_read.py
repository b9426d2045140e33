"""A newsletter's page reads it, and its sections' records, by SQL kept for the reader (`core.kept_rows`): each
reader, served in turn with others in both orders, gets what the ORM's own reading gives them."""

import pytest
from django.apps import apps
from django.urls import reverse

from commonground.core.kept_rows import forget_kept_rows
from commonground.core.viewer import viewer_for
from commonground.newsletters import rendering, selectors, services
from commonground.newsletters.models import Newsletter
from commonground.newsletters.rendering import sections_for

from .records import AMBER_INCIDENT, AMBER_ISSUE, GREEN_MEETING, build_news

READERS = ("cochair", "admin", "member", "other_admin", "outsider")


@pytest.fixture
def sent(table, django_capture_on_commit_callbacks, settings):
    from commonground.conftest import IMMEDIATE_TASKS

    build_news(table)
    settings.TASKS = IMMEDIATE_TASKS
    newsletter = services.newsletter_create(
        actor=table.cochair, community=table.community, subject="READ-7719"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send(actor=table.cochair, newsletter=newsletter)
    return Newsletter.objects.get(pk=newsletter.pk)


def orm_answer(user, newsletter) -> tuple:
    """What the ORM reads for this reader, with nothing kept: whether they find it, read it whole, and the
    sections' markers they get."""
    viewer = viewer_for(user)
    found = (
        selectors.newsletter_list(viewer=viewer, community=newsletter.community)
        .filter(pk=newsletter.pk)
        .first()
    )
    if found is None:
        return (False, None, frozenset())
    seen = set()
    for section in newsletter.sections.all():
        for label, pk in section.sources or ():
            model = apps.get_model(label)
            if label in rendering.SPECIAL:
                visible = rendering.SPECIAL[label](viewer, {pk})
            else:
                visible = set(model.objects.visible_to(viewer).filter(pk=pk).values_list("pk", flat=True))
            seen |= {(label, key) for key in visible}
    shown = sections_for(viewer, newsletter.sections.all(), public=not found.in_full, seen=seen)
    text = " ".join(section.body for section in shown)
    return (
        True,
        found.in_full,
        frozenset(m for m in (AMBER_ISSUE, AMBER_INCIDENT, GREEN_MEETING) if m in text),
    )


def page_answer(client, user, newsletter) -> tuple:
    client.force_login(user)
    response = client.get(reverse("newsletters:detail", args=["riverbend", newsletter.pk]))
    if response.status_code == 404:
        return (False, None, frozenset())
    assert response.status_code == 200
    context = response.context
    body = response.content.decode()
    return (
        True,
        context["newsletter"].in_full,
        frozenset(m for m in (AMBER_ISSUE, AMBER_INCIDENT, GREEN_MEETING) if m in body),
    )


@pytest.mark.parametrize("order", [READERS, tuple(reversed(READERS))], ids=["forward", "backward"])
def test_readers_served_in_turn_get_what_the_orm_reads_for_each(client, table, sent, order):
    forget_kept_rows()
    expected = {name: orm_answer(getattr(table, name), sent) for name in READERS}
    # The readers differ: the test would not see a key that leaves the reader out.
    assert expected["outsider"][0] is False and expected["admin"][2] != expected["other_admin"][2]
    assert AMBER_ISSUE in expected["admin"][2] and AMBER_ISSUE not in expected["other_admin"][2]
    for _round in range(2):
        for name in order:
            assert page_answer(client, getattr(table, name), sent) == expected[name], name


def test_a_newsletter_of_another_community_or_no_key_is_not_found(client, table, sent):
    client.force_login(table.cochair)
    assert client.get(reverse("newsletters:detail", args=["riverbend", sent.pk + 1000])).status_code == 404
    assert client.get(f"/c/riverbend/newsletters/{2**70}/").status_code == 404
