from django.contrib.contenttypes.models import ContentType

from commonground.communities.models import Community
from commonground.core.models import AuditEntry


def test_editing_a_community_on_its_page_writes_the_change_to_the_audit_log(client, table):
    client.force_login(table.cochair)
    form = client.get("/c/riverbend/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["name"] = "Riverbend Valley"
    response = client.post("/c/riverbend/edit/", data)
    assert response.status_code == 302
    assert Community.objects.get(pk=table.community.pk).name == "Riverbend Valley"
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Community),
        object_id=str(table.community.pk),
        action="update",
    )
    assert entry.changes["name"] == ["Riverbend", "Riverbend Valley"]
