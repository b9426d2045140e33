import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.core.testing import page_client
from commonground.resources import services
from commonground.resources.models import Agreement, Resource


def test_an_admin_records_a_resource_through_the_page(table):
    response = page_client(table.admin).post(
        "/c/riverbend/resources/new/",
        {"organization": table.private_org.pk, "name": "Reefer trailer", "kind": "equipment", "category": "esf7",
         "quantity": "2", "availability": "available", "terms": "loan", "tlp": "TLP:GREEN", "zip_code": "48933",
         "verified_on": "2026-11-01"},
    )  # fmt: skip
    resource = Resource.objects.get(name="Reefer trailer")
    assert response.status_code == 302 and response["Location"] == resource.get_absolute_url()
    assert resource.latitude is not None


def test_a_bad_resource_form_shows_field_errors_and_saves_nothing(table):
    response = page_client(table.admin).post(
        "/c/riverbend/resources/new/",
        {"organization": table.private_org.pk, "name": "X", "kind": "equipment", "category": "esf7",
         "quantity": "-3", "availability": "available", "terms": "loan", "tlp": "TLP:GREEN", "latitude": "42",
         "verified_on": "2026-11-01"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "quantity" in errors and "latitude" in errors
    assert not Resource.objects.exists()


def test_an_agreement_document_of_the_wrong_kind_is_a_field_error(table):
    data = {"organization": table.private_org.pk, "title": "Fuel MOU", "kind": "mou",
            "parties": [table.private_org.pk, table.public_org.pk], "starts_on": "2026-01-01", "tlp": "TLP:AMBER"}  # fmt: skip
    client = page_client(table.admin)
    bad = client.post(
        "/c/riverbend/agreements/new/", {**data, "document": SimpleUploadedFile("mou.pdf", b"MZ...")}
    )
    assert bad.status_code == 200 and "document" in bad.context["form"].errors
    assert not Agreement.objects.exists()
    good = client.post(
        "/c/riverbend/agreements/new/", {**data, "document": SimpleUploadedFile("mou.pdf", b"%PDF-1.4")}
    )
    agreement = Agreement.objects.get()
    assert good.status_code == 302
    assert client.get(f"/agreements/{agreement.pk}/document/").status_code == 200


def test_an_agreement_is_edited_through_its_page(table):
    agreement = services.agreement_create(
        actor=table.admin, community=table.community, organization=table.private_org,
        parties=[table.private_org, table.public_org], title="MOU", starts_on=datetime.date(2026, 1, 1),
    )  # fmt: skip
    response = page_client(table.cochair).post(
        f"/agreements/{agreement.pk}/edit/",
        {"title": "MOU renewed", "kind": "mutual_aid", "parties": [table.private_org.pk, table.public_org.pk],
         "starts_on": "2026-01-01", "ends_on": "2027-12-31", "tlp": "TLP:AMBER", "terms": "Fuel at cost"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    agreement.refresh_from_db()
    assert (agreement.title, agreement.kind, agreement.terms) == ("MOU renewed", "mutual_aid", "Fuel at cost")


def test_the_list_banner_shows_the_narrowest_marking_on_the_page(table):
    from commonground.core.tlp import TLP

    from .factories import ResourceFactory

    ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.GREEN)
    client = page_client(table.member)
    assert client.get("/c/riverbend/resources/").context["tlp_marking"] == TLP.GREEN
    ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.AMBER_STRICT)
    assert client.get("/c/riverbend/resources/").context["tlp_marking"] == TLP.AMBER_STRICT
    assert page_client(table.other_admin).get("/c/riverbend/resources/").context["tlp_marking"] == TLP.GREEN


def test_the_contribution_chart_is_marked_as_narrowly_as_the_resources_it_counts(table):
    from commonground.core.testing import page_client
    from commonground.core.tlp import TLP
    from commonground.resources.tests.factories import ResourceFactory

    ResourceFactory(
        community=table.community, organization=table.private_org, category="esf12", tlp=TLP.AMBER
    )
    mine = page_client(table.member).get("/c/riverbend/resources/contribution/")
    assert mine.context["tlp_marking"] == TLP.AMBER  # the reader's own AMBER resource is in the counts
    theirs = page_client(table.other_admin).get("/c/riverbend/resources/contribution/")
    assert theirs.context["tlp_marking"] == TLP.GREEN
