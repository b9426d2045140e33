"""The pages, as each role sees them."""

import re

import pytest
from django.core import mail

from commonground.communities.models import CoChair, Community
from commonground.communities.tests.factories import MembershipFactory
from commonground.core.tlp import TLP
from commonground.registry.models import Organization
from commonground.registry.tests.factories import PersonFactory

# The mails go through the task queue (core.mail); here they are sent at once, as the worker sends them.
pytestmark = pytest.mark.usefixtures("mail_at_once")

PAGES = [
    "/c/riverbend/",
    "/c/riverbend/leadership/",
    "/c/riverbend/organizations/",
    "/c/riverbend/people/",
    "/c/riverbend/invitations/",
    "/c/riverbend/invitations/tree/",
    "/c/riverbend/coverage/",
]


def test_the_landing_page_is_public_and_marked_clear(client, table):
    response = client.get("/")
    assert response.status_code == 200
    assert b"TLP:CLEAR" in response.content and b"Program statistics" in response.content


@pytest.mark.parametrize("path", ["/communities/", *PAGES, "/c/riverbend/audit/"])
def test_every_other_page_needs_a_login(client, table, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", PAGES)
def test_members_see_every_page_of_their_community_with_its_marking(client, table, path):
    client.force_login(table.member)
    response = client.get(path)
    assert response.status_code == 200
    assert b"TLP:" in response.content and b"Riverbend" in response.content


@pytest.mark.parametrize("path", PAGES)
def test_another_community_is_not_found(client, table, path):
    client.force_login(table.outsider)
    assert client.get(path).status_code == 404


def test_the_dashboard_says_what_step_one_misses(client, table):
    client.force_login(table.member)
    content = client.get("/c/riverbend/").content.decode()
    assert "a co-chair from a private-sector or non-profit organization" in content
    CoChair.objects.create(community=table.community, person=table.admin.person)
    content = client.get("/c/riverbend/").content.decode()
    assert "Leadership is co-shared by the public and private sectors." in content


def test_restricted_contact_details_are_withheld_on_pages(client, table):
    PersonFactory(organization=table.private_org, email="amber@example.org", contact_tlp=TLP.AMBER)
    client.force_login(table.other_admin)
    content = client.get("/c/riverbend/people/").content.decode()
    assert "amber@example.org" not in content and "withheld by its marking" in content
    client.force_login(table.cochair)
    content = client.get("/c/riverbend/people/").content.decode()
    assert "amber@example.org" in content and "TLP:AMBER" in content


def test_a_facilitator_starts_a_community(client, table):
    client.force_login(table.facilitator)
    response = client.post(
        "/communities/new/",
        {
            "name": "Oakridge",
            "slug": "oakridge",
            "kind": "city",
            "state": "MI",
            "center_latitude": "42.6",
            "center_longitude": "-84.5",
            "time_zone": "America/Detroit",
            "coverage_threshold": "60",
            "assessment_threshold": "50",
        },
    )
    assert response.status_code == 302 and Community.objects.filter(slug="oakridge").exists()


def test_members_cannot_start_communities(client, table):
    client.force_login(table.cochair)
    assert client.get("/communities/new/").status_code == 403


def test_a_cochair_records_a_cochair_and_step_one_turns_done(client, table):
    client.force_login(table.cochair)
    response = client.post("/c/riverbend/leadership/", {"person": table.admin.person.pk})
    assert response.status_code == 302
    assert "Done" in client.get("/c/riverbend/").content.decode()


def test_invite_by_mail_and_accept_from_the_link(client, table, django_capture_on_commit_callbacks):
    client.force_login(table.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/c/riverbend/invitations/",
            {
                "name": "Ann Ode",
                "email": "ann@example.org",
                "organization_name": "Ode Bakery",
                "suggested_category": "small_employer",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = re.search(r"http://testserver(/invite/\S+/)", mail.outbox[-1].body).group(1)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and b"Ode Bakery" in page.content
    response = client.post(
        link,
        {"first_name": "Ann", "last_name": "Ode", "username": "ann", "password": "a-long-test-password",
         "org-name": "Ode Bakery", "org-sector": "private", "org-category": "small_employer", "org-employees": "4", "org-zip_code": "48823"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Organization.objects.get(name="Ode Bakery").latitude is not None
    assert client.get(link).status_code == 410  # used once
    tree = client.get("/c/riverbend/invitations/tree/").content.decode()
    assert "Ann Ode" in tree


def test_an_organization_admin_edits_only_their_own_organization(client, table):
    client.force_login(table.admin)
    assert client.get(f"/organizations/{table.private_org.pk}/edit/").status_code == 200
    assert client.get(f"/organizations/{table.public_org.pk}/edit/").status_code == 403
    assert client.get(f"/organizations/{table.outside_org.pk}/edit/").status_code == 404


def test_edit_form_shows_field_errors_and_changes_nothing(client, table):
    client.force_login(table.admin)
    response = client.post(
        f"/organizations/{table.private_org.pk}/edit/",
        {
            "name": "Great Lakes Logistics",
            "sector": "private",
            "category": "large_employer",
            "level": "federal",
        },
    )
    assert (
        response.status_code == 200
        and "Only public bodies have a government level." in response.content.decode()
    )
    table.private_org.refresh_from_db()
    assert table.private_org.level == ""


def test_import_with_a_bad_row_shows_row_and_column_and_writes_nothing(client, table):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(table.cochair)
    upload = SimpleUploadedFile(
        "orgs.csv",
        b"name,sector,category\nGood,private,utility\nBad,private,volcanology\n",
        content_type="text/csv",
    )
    response = client.post("/c/riverbend/import/", {"kind": "organizations", "file": upload})
    content = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in content and "volcanology" in content
    assert not Organization.objects.filter(name="Good").exists()


def test_import_dry_run_then_confirm(client, table):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(table.cochair)
    upload = SimpleUploadedFile(
        "orgs.csv", b"name,sector,category\nGood,private,utility\n", content_type="text/csv"
    )
    response = client.post("/c/riverbend/import/", {"kind": "organizations", "file": upload})
    assert b"would be created" in response.content and not Organization.objects.filter(name="Good").exists()
    ticket = re.search(r'name="confirm" value="([^"]+)"', response.content.decode()).group(1)
    response = client.post("/c/riverbend/import/", {"confirm": ticket})
    assert response.status_code == 302 and Organization.objects.filter(name="Good").exists()


def test_members_cannot_import(client, table):
    client.force_login(table.member)
    assert client.get("/c/riverbend/import/").status_code == 403


def test_export_applies_tlp_and_quotes_formulas(client, table):
    PersonFactory(
        organization=table.private_org, first_name="=1+1", email="red@example.org", contact_tlp=TLP.RED
    )
    PersonFactory(organization=table.private_org, email="amber@example.org", contact_tlp=TLP.AMBER)
    client.force_login(table.cochair)
    response = client.get("/c/riverbend/export/people.csv")
    content = response.content.decode("utf-8-sig")
    assert response["X-TLP"] == TLP.AMBER  # the narrowest marking the reader was shown
    assert "red@example.org" not in content and "amber@example.org" in content and "'=1+1" in content
    xlsx = client.get("/c/riverbend/export/organizations.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_the_audit_log_page_is_for_cochairs(client, table):
    client.force_login(table.member)
    assert client.get("/c/riverbend/audit/").status_code == 403
    client.force_login(table.cochair)
    assert client.get("/c/riverbend/audit/").status_code == 200


def test_an_admin_removes_a_person_and_the_removal_is_recorded(client, table):
    from commonground.core.models import AuditEntry
    from commonground.registry.models import Person

    person = PersonFactory(organization=table.private_org)
    pk = person.pk
    client.force_login(table.admin)
    assert b"Remove" in client.get(f"/people/{pk}/edit/").content
    assert client.post(f"/people/{pk}/delete/").status_code == 302
    assert not Person.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_id=str(pk), action="delete").exists()


def test_a_cochair_takes_an_organization_from_the_table(client, table):
    from commonground.communities.models import Membership

    membership = Membership.objects.get(community=table.community, organization=table.private_org)
    client.force_login(table.cochair)
    assert b"Remove from the Riverbend table" in client.get(f"/organizations/{table.private_org.pk}/").content
    assert client.post(f"/memberships/{membership.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_of_one_community_is_taken_to_its_dashboard_from_the_list(client, table):
    client.force_login(table.member)
    response = client.get("/communities/")
    assert response.status_code == 302 and response["Location"] == "/c/riverbend/"
    # A filtered or paged visit is a list still, and so is the list of one who sits at two tables.
    assert client.get("/communities/?page=1").status_code == 200
    MembershipFactory(community=table.other_community, organization=table.private_org)
    response = client.get("/communities/")
    assert response.status_code == 200
    assert b"Riverbend" in response.content and b"Elsewhere" in response.content


def test_a_facilitator_always_sees_the_list_to_start_a_community_from(client, table):
    Community.objects.exclude(pk=table.community.pk).delete()
    client.force_login(table.facilitator)
    response = client.get("/communities/")
    assert response.status_code == 200 and b"Start a community" in response.content
