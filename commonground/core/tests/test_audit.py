from commonground.core import audit
from commonground.core.models import AuditEntry
from commonground.registry.services import organization_update


def test_an_update_records_each_changed_field_before_and_after(table):
    organization_update(
        actor=table.admin, organization=table.private_org, data={"employees": 2500, "city": "Oakridge"}
    )
    entry = AuditEntry.objects.get(action="update", object_id=str(table.private_org.pk))
    assert entry.changes == {"employees": [2000, 2500], "city": ["Riverbend", "Oakridge"]}
    assert entry.actor == table.admin
    assert entry.organization_id == table.private_org.pk


def test_an_update_that_changes_nothing_records_nothing(table):
    organization_update(actor=table.admin, organization=table.private_org, data={"employees": 2000})
    assert not AuditEntry.objects.filter(action="update").exists()


def test_diff_lists_only_changed_keys():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


def test_cochairs_read_their_communitys_log_and_members_do_not(table):
    from commonground.core.viewer import viewer_for

    organization_update(actor=table.admin, organization=table.private_org, data={"employees": 2500})
    assert AuditEntry.objects.visible_to(viewer_for(table.cochair)).count() == 1
    assert AuditEntry.objects.visible_to(viewer_for(table.member)).count() == 0
    assert AuditEntry.objects.visible_to(viewer_for(table.outsider)).count() == 0
