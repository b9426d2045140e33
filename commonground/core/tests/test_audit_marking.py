"""The audit log shows a change only to a reader who could see the record as it was at that change (issue 12)."""

import pytest

from commonground.core.models import WITHHELD, AuditEntry
from commonground.core.testing import api_client, page_client
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry.services import person_create, person_update
from commonground.resources.services import resource_create, resource_update

MARKER = "AUDIT-MARKER-7f3c"
ROLES = ("facilitator", "cochair", "admin", "other_admin", "member", "outsider")


def _resource(table, tlp, *, recipients=()):
    return resource_create(
        actor=table.admin, community=table.community, organization=table.private_org,
        name=f"Generator {MARKER}", description=f"Kept at the north yard {MARKER}", kind="equipment",
        category="esf12", quantity=1, latitude=42.7, longitude=-84.5, tlp=tlp,
        recipient_organizations=list(recipients),
    )  # fmt: skip


def _responses(table, role):
    """Every surface of the log a role reads, as text."""
    user = table.user(role)
    slug = table.community.slug
    return [
        api_client(user).get("/api/v1/audit/?model=resource&page_size=200").content.decode(),
        api_client(user).get("/api/v1/audit/?page_size=200").content.decode(),
        page_client(user).get(f"/c/{slug}/audit/").content.decode(),
    ]


def _may_see_resource(table, role, resource):
    return type(resource).objects.visible_to(viewer_for(table.user(role))).filter(pk=resource.pk).exists()


@pytest.mark.parametrize("tlp", [TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT])
def test_the_log_shows_a_resource_change_only_to_those_who_may_see_the_resource(table, tlp):
    resource = _resource(table, tlp)
    resource_update(actor=table.admin, resource=resource, data={"description": f"Moved {MARKER}"})
    for role in ROLES:
        leaked = any(MARKER in body for body in _responses(table, role))
        if leaked:
            assert _may_see_resource(table, role, resource), f"{role} reads the {tlp} resource in the log"


def test_a_cochair_does_not_read_an_amber_strict_resource_in_the_log(table):
    """The reported leak: the API's detail answered 404 while the log printed the description."""
    resource = _resource(table, TLP.AMBER_STRICT)
    client = api_client(table.cochair)
    assert client.get(f"/api/v1/resources/{resource.pk}/").status_code == 404
    body = client.get("/api/v1/audit/?model=resource").content.decode()
    assert MARKER not in body
    assert not AuditEntry.objects.visible_to(viewer_for(table.cochair)).filter(object_id=str(resource.pk))


def test_a_named_recipient_cochair_reads_the_amber_strict_change(table):
    resource = _resource(table, TLP.AMBER_STRICT, recipients=[table.public_org])
    assert (
        AuditEntry.objects.visible_to(viewer_for(table.cochair)).filter(object_id=str(resource.pk)).exists()
    )


def test_lowering_a_marking_keeps_the_earlier_values_under_the_narrower_one(table):
    """A change from AMBER+STRICT to GREEN shows its 'before' side, so the entry keeps AMBER+STRICT."""
    resource = _resource(table, TLP.AMBER_STRICT)
    resource_update(actor=table.admin, resource=resource, data={"tlp": TLP.GREEN})
    update = AuditEntry.objects.get(action="update", object_id=str(resource.pk))
    assert update.tlp == TLP.AMBER_STRICT
    assert not AuditEntry.objects.visible_to(viewer_for(table.cochair)).filter(pk=update.pk).exists()
    # Later changes are GREEN and the co-chair reads them.
    resource_update(actor=table.admin, resource=resource, data={"quantity": 2})
    later = AuditEntry.objects.visible_to(viewer_for(table.cochair)).filter(object_id=str(resource.pk))
    assert [entry.changes for entry in later] == [{"quantity": [1.0, 2.0]}]


def test_red_contact_details_are_withheld_from_the_log_and_the_person_stays_listed(table):
    person = person_create(
        actor=table.admin, organization=table.private_org, first_name="Dana", last_name="Reyes",
        email="red-audit-7f3c@example.org", mobile="555-7f3c", contact_tlp=TLP.RED,
    )  # fmt: skip
    person_update(actor=None, person=person, data={"phone": "555-0000-7f3c"})
    for role in ("cochair", "facilitator", "admin"):
        for body in _responses(table, role):
            assert "7f3c" not in body, role
    entries = AuditEntry.objects.visible_to(viewer_for(table.cochair)).annotate_marking_visible(
        viewer_for(table.cochair)
    )
    created = entries.get(action="create", object_id=str(person.pk))
    assert created.object_repr == "Dana Reyes"
    assert created.visible_changes["email"] == [WITHHELD, WITHHELD]
    assert created.visible_changes["first_name"] == [None, "Dana"]
    api = api_client(table.cochair).get("/api/v1/audit/?model=person").json()["results"]
    assert {row["withheld"] for row in api if row["object_id"] == str(person.pk)} == {True}


def test_the_person_named_reads_their_own_red_details_in_the_log(table):
    """An admin whose own contact details are TLP:RED reads them: they are the named person."""
    person = table.admin.person
    person_update(actor=table.admin, person=person, data={"contact_tlp": TLP.RED, "mobile": "555-self-7f3c"})
    entries = AuditEntry.objects.visible_to(viewer_for(table.admin)).annotate_marking_visible(
        viewer_for(table.admin)
    )
    entry = entries.get(action="update", object_id=str(person.pk))
    assert entry.visible_changes["mobile"] == ["", "555-self-7f3c"]


def test_entries_read_without_the_reader_withhold_marked_values(table):
    person = person_create(
        actor=table.admin, organization=table.private_org, first_name="Ana", last_name="Ruiz",
        email="ana-7f3c@example.org", contact_tlp=TLP.RED,
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="create", object_id=str(person.pk))
    assert entry.visible_changes["email"] == [WITHHELD, WITHHELD]


def test_imported_records_keep_their_marking_in_the_log(table):
    from commonground.core import audit
    from commonground.resources.models import Resource

    audit.bulk_record_created(
        None, Resource,
        [(991, "Imported", {"organization_id": table.private_org.pk, "community_id": table.community.pk,
                            "tlp": TLP.AMBER_STRICT, "description": MARKER},
          {"community_id": table.community.pk, "organization_id": table.private_org.pk})],
    )  # fmt: skip
    entry = AuditEntry.objects.get(object_id="991")
    assert (entry.tlp, entry.owner_id, entry.record_community_id) == (
        TLP.AMBER_STRICT, table.private_org.pk, table.community.pk,
    )  # fmt: skip
    assert not AuditEntry.objects.visible_to(viewer_for(table.cochair)).filter(pk=entry.pk).exists()
    assert AuditEntry.objects.visible_to(viewer_for(table.admin)).filter(pk=entry.pk).exists()
