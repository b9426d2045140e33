"""The people list's rows written in Python (registry.tables) and the people lists kept per viewer
(`selectors.person_list`): each reader sees the contact details their marking admits, and no other reader's."""

from __future__ import annotations

import pytest

from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry import selectors
from commonground.registry.tables import people_rows_html
from commonground.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

STRICT = "strict-marker-7d21@example.org"
RED = "red-marker-3f88@example.org"
GREEN = "green-marker-0a5e@example.org"


@pytest.fixture
def marked(table):
    """Contact details of the private organization's people: for the table, for the organization alone, and for
    the member alone (TLP:RED: the person themself)."""
    PersonFactory(organization=table.private_org, last_name="Green", email=GREEN, contact_tlp=TLP.GREEN)
    PersonFactory(
        organization=table.private_org, last_name="Strict", email=STRICT, contact_tlp=TLP.AMBER_STRICT
    )
    member = table.member.person
    member.email, member.contact_tlp = RED, TLP.RED
    member.save()


# Who sees which contact details on the people page.
SEES = {
    "member": {GREEN, STRICT, RED},
    "admin": {GREEN, STRICT},
    "cochair": {GREEN},
    "other_admin": {GREEN},
    "facilitator": {GREEN},
}


@pytest.mark.parametrize("first", ["member", "cochair", "admin"])
def test_each_reader_in_turn_sees_the_contact_details_their_marking_admits(table, marked, first):
    readers = [first, *(role for role in SEES if role != first)]
    for _round in range(2):
        for role in readers:
            body = page_client(table.user(role)).get("/c/riverbend/people/").content.decode()
            for email in (GREEN, STRICT, RED):
                assert (email in body) == (email in SEES[role]), (role, email)
            # A row whose details are withheld still names its person and says so.
            withheld = SEES[role] != {GREEN, STRICT, RED}
            assert "Strict" in body and ("withheld by its marking" in body) == withheld


def test_a_persons_facts_changing_gives_them_their_new_list(table, marked):
    """The kept list is the viewer's: a member who leaves for the public organization no longer reads the
    private one's TLP:AMBER+STRICT details."""
    assert STRICT in page_client(table.admin).get("/c/riverbend/people/").content.decode()
    person = table.admin.person
    person.organization = table.public_org
    person.save()
    table.admin.refresh_from_db()
    assert STRICT not in page_client(table.admin).get("/c/riverbend/people/").content.decode()


def test_the_rows_escape_every_text_and_link_each_organization(table):
    PersonFactory(organization=table.private_org, first_name="<b>Ann</b>", last_name="O'Neil & Co",
                  title="<script>x</script>", email="a&b@example.org", phone="<1>", mobile="",
                  contact_tlp=TLP.GREEN)  # fmt: skip
    people = selectors.person_list(viewer=viewer_for(table.member), community=table.community)
    html = people_rows_html(people.filter(last_name="O'Neil & Co"))
    assert "&lt;b&gt;Ann&lt;/b&gt; O&#x27;Neil &amp; Co" in html and "<b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert 'href="mailto:a&amp;b@example.org"' in html and "&lt;1&gt;" in html
    assert f'<a href="/organizations/{table.private_org.pk}/">Great Lakes Logistics</a>' in html
    assert 'class="tlp-badge tlp-green"' in html


def test_withheld_details_are_never_written_and_an_empty_list_says_so(table):
    PersonFactory(organization=table.private_org, email=STRICT, phone="555-0199", mobile="555-0198",
                  contact_tlp=TLP.AMBER_STRICT)  # fmt: skip
    people = selectors.person_list(viewer=viewer_for(table.cochair), community=table.community)
    html = people_rows_html(people.filter(email=STRICT))
    assert STRICT not in html and "555-01" not in html and "withheld by its marking" in html
    assert "No people match." in people_rows_html(people.none())
