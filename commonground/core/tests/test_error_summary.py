"""Every form that comes back with errors opens with a summary linking to each field in error (GOV.UK, USWDS)."""

import lxml.html
import pytest
from django.test import Client

from commonground.core.testing import page_client
from commonground.resources.models import Resource
from commonground.risks.models import Hazard
from commonground.sustainability.models import Goal


def summary_of(response):
    """Return the page, its error summary's heading and its entries as (link target, text)."""
    page = lxml.html.fromstring(response.content.decode())
    [summary] = page.xpath("//*[@data-error-summary]")
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    heading = summary.xpath(".//h2")[0].text_content().strip()
    entries = [(li.xpath(".//a")[0].get("href") if li.xpath(".//a") else None, li.text_content().strip())
               for li in summary.xpath(".//li")]  # fmt: skip
    return page, heading, entries


def assert_linked_to_fields(page, entries, fields):
    """Each field in error is linked from the summary, and keeps its message beside it, described by it."""
    targets = {href for href, _text in entries}
    for name in fields:
        assert f"#id_{name}" in targets
        [field] = page.xpath(f"//*[@id='id_{name}']")
        assert f"id_{name}_error" in field.get("aria-describedby", "").split()
        assert field.get("aria-invalid") == "true"
        assert page.xpath(f"//*[@id='id_{name}_error']")[0].text_content().strip()


def test_the_hazard_form_lists_and_links_its_errors(table):
    response = page_client(table.cochair).post("/c/riverbend/hazards/new/", {"name": "", "kind": "meteor"})
    assert response.status_code == 200
    page, heading, entries = summary_of(response)
    assert heading == "There is a problem"
    assert_linked_to_fields(page, entries, ["name", "kind"])
    assert any(text.startswith("Name:") for _href, text in entries)
    assert not Hazard.objects.filter(community=table.community).exists()


def test_the_resource_form_lists_and_links_its_errors(table):
    before = Resource.objects.count()
    response = page_client(table.admin).post(
        "/c/riverbend/resources/new/",
        {"organization": table.private_org.pk, "name": "", "kind": "equipment", "quantity": "-3",
         "latitude": "123", "tlp": "TLP:AMBER"},
    )  # fmt: skip
    assert response.status_code == 200
    page, _heading, entries = summary_of(response)
    assert_linked_to_fields(page, entries, ["name", "quantity"])
    assert len(entries) == sum(len(e) for e in response.context["form"].errors.values())
    assert Resource.objects.count() == before


def test_the_goal_form_lists_and_links_its_errors(table):
    response = page_client(table.cochair).post(
        "/c/riverbend/goals/new/", {"statement": "", "target_date": "soon"}
    )
    assert response.status_code == 200
    page, _heading, entries = summary_of(response)
    assert_linked_to_fields(page, entries, ["statement", "target_date"])
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_the_login_form_lists_its_non_field_error_without_a_link():
    response = Client().post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    _page, heading, entries = summary_of(response)
    assert heading == "There is a problem"
    assert [href for href, _text in entries] == [None]


def test_a_form_without_errors_has_no_summary(table):
    page = lxml.html.fromstring(page_client(table.cochair).get("/c/riverbend/hazards/new/").content.decode())
    assert not page.xpath("//*[@data-error-summary]")
