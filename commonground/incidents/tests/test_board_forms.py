"""The board's forms keep their blank rendering (`forms.KeptRendering`): what they show must be what a fresh
rendering shows, in each language, for the organizations at the table as they are now."""

from __future__ import annotations

import pytest
from django.forms import Form as DjangoForm
from django.utils import translation

from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.incidents.forms import KEPT_RENDERINGS, CloseForm, PeriodForm, SitrepForm
from commonground.registry.models import Organization

from .factories import make_incident

pytestmark = pytest.mark.django_db


def peers(table):
    return Organization.objects.in_community(table.community).order_by("name")


def fresh(form) -> str:
    return DjangoForm.render(form)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_kept_rendering_is_a_fresh_one(table, language):
    KEPT_RENDERINGS.clear()
    with translation.override(language):
        for make in (lambda: SitrepForm(peers=peers(table), marking=TLP.GREEN), PeriodForm, CloseForm):
            first, again = str(make()), f"{make()}"
            assert first == again == fresh(make()), make
    assert len(KEPT_RENDERINGS) == 3


def test_the_report_form_shows_the_table_and_the_marking_as_they_are_now(table):
    KEPT_RENDERINGS.clear()
    assert "Riverbend Fire" in str(SitrepForm(peers=peers(table), marking=TLP.GREEN))
    assert all(
        o.name == SitrepForm.base_fields["recipient_organizations"].label_from_instance(o)
        for o in peers(table)
    )
    table.public_org.name = "Riverbend Fire and Rescue"
    table.public_org.save()
    renamed = str(SitrepForm(peers=peers(table), marking=TLP.GREEN))
    assert "Riverbend Fire and Rescue" in renamed and renamed == fresh(
        SitrepForm(peers=peers(table), marking=TLP.GREEN)
    )
    amber = str(SitrepForm(peers=peers(table), marking=TLP.AMBER))
    assert amber != renamed and amber == fresh(SitrepForm(peers=peers(table), marking=TLP.AMBER))


def test_a_form_sent_back_with_errors_is_rendered_afresh(table):
    incident = make_incident(table.community, table.public_org)
    client = page_client(table.cochair)
    client.get(incident.get_absolute_url())  # the blank forms kept
    refused = client.post(
        f"/incidents/{incident.pk}/sitreps/new/", {"sitrep-text": "", "sitrep-tlp": TLP.GREEN}
    )
    html = refused.content.decode()
    assert refused.status_code == 200 and 'aria-invalid="true"' in html and "usa-form-group--error" in html
    assert client.get(incident.get_absolute_url()).content.decode().count("usa-form-group--error") == 0
