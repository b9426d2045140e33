"""The newsletters' API: drafts, the audience, a recipient's preview, sending, the archive."""

import pytest
from rest_framework.test import APIClient

from commonground.conftest import IMMEDIATE_TASKS
from commonground.newsletters.choices import DeliveryStatus
from commonground.newsletters.models import Delivery, Newsletter

from .records import AMBER_ISSUE, GREEN_MEETING, build_news


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def news(table):
    return build_news(table)


def test_compose_edit_preview_send_and_read_the_archive(
    table, news, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    cochair = api(table.cochair)
    created = cochair.post(
        "/api/v1/newsletters/", {"community": "riverbend", "subject": "May"}, format="json"
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert any(AMBER_ISSUE in section["body"] for section in created.data["sections"])
    changed = cochair.patch(f"/api/v1/newsletters/{pk}/", {"intro": "**Hello**"}, format="json")
    assert changed.status_code == 200 and changed.data["intro"] == "**Hello**"
    audience = cochair.get(f"/api/v1/newsletters/{pk}/audience/")
    assert audience.data["count"] == 4
    preview = cochair.get(f"/api/v1/newsletters/{pk}/preview/", {"recipient": table.other_admin.pk})
    assert (
        preview.status_code == 200
        and AMBER_ISSUE not in str(preview.data)
        and GREEN_MEETING in preview.data["text"]
    )
    assert preview.data["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert cochair.get(f"/api/v1/newsletters/{pk}/preview/", {"recipient": "x"}).status_code == 400
    assert (
        cochair.get(f"/api/v1/newsletters/{pk}/preview/", {"recipient": table.outsider.pk}).status_code == 404
    )
    # A member may not send it (nor see the draft).
    assert api(table.member).post(f"/api/v1/newsletters/{pk}/send/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        sent = cochair.post(f"/api/v1/newsletters/{pk}/send/")
    assert sent.status_code == 200 and sent.data == {"recipients": 4}
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 4
    # The archive, read by a reader who may not see the AMBER issue.
    archive = api(table.other_admin).get("/api/v1/newsletters/archive/")
    assert archive.data["count"] == 1 and AMBER_ISSUE not in str(archive.data)
    assert GREEN_MEETING in str(archive.data)
    # A sent newsletter is not edited, sent again or removed.
    assert cochair.patch(f"/api/v1/newsletters/{pk}/", {"subject": "x"}, format="json").status_code == 400
    assert cochair.post(f"/api/v1/newsletters/{pk}/send/").status_code == 400
    assert cochair.delete(f"/api/v1/newsletters/{pk}/").status_code == 400


def test_a_member_may_not_compose_and_nothing_is_written(table, news):
    response = api(table.member).post("/api/v1/newsletters/", {"community": "riverbend"}, format="json")
    assert response.status_code == 403 and not Newsletter.objects.exists()


def test_bad_audience_is_a_field_error(table, news):
    cochair = api(table.cochair)
    pk = cochair.post("/api/v1/newsletters/", {"community": "riverbend"}, format="json").data["id"]
    response = cochair.patch(f"/api/v1/newsletters/{pk}/", {"audience_kind": "sector"}, format="json")
    assert response.status_code == 400 and "audience_sector" in response.data
    assert Newsletter.objects.get(pk=pk).audience_kind == "all"
