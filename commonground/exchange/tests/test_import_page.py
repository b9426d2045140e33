"""The import page serves every registered kind and leads, once a file is written, to where its records are listed."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.resources.models import Resource


def test_a_confirmed_resource_import_leads_to_the_resources_not_the_people(client, table):
    """Regression: every kind but organizations led to the people page, whatever it imported."""
    client.force_login(table.cochair)
    text = "organization,name,description,kind,category,tlp\nGreat Lakes Logistics,Pallet jack,,equipment,esf7,\n"
    upload = SimpleUploadedFile("resources.csv", text.encode(), content_type="text/csv")
    response = client.post("/c/riverbend/import/", {"kind": "resources", "file": upload})
    ticket = re.search(r'name="confirm" value="([^"]+)"', response.content.decode()).group(1)
    response = client.post("/c/riverbend/import/", {"confirm": ticket})
    assert response.status_code == 302 and response.url == "/c/riverbend/resources/"
    assert Resource.objects.filter(name="Pallet jack").exists()


def test_the_import_form_offers_every_registered_kind(client, table):
    from commonground.core.exchange import IMPORTERS

    client.force_login(table.cochair)
    content = client.get("/c/riverbend/import/").content.decode()
    for kind in IMPORTERS:
        assert f'value="{kind}"' in content
