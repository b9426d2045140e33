"""A page that names what its forms' choices of records are made of (`kept_choices`) reads them by SQL kept under
that name (`core.forms.choice_records`): each reader is offered exactly what the ORM would offer them, whoever
drew the form before, and the second drawing compiles nothing."""

import re

import pytest

from commonground.agenda.tests.factories import propose
from commonground.agenda.views.issues import IssueDetailView
from commonground.core import forms as core_forms
from commonground.core.kept_rows import forget_kept_rows
from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.risks.tests.factories import CriticalFunctionFactory
from commonground.risks.views.assessments import RecordFormMixin


@pytest.fixture(autouse=True)
def _fresh():
    forget_kept_rows()
    yield
    forget_kept_rows()


def offered(html: str) -> dict[str, list[str]]:
    """Each field's offered values: a select's options, a list's checkboxes and radio buttons, in order."""
    fields: dict[str, list[str]] = {}
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        fields[name] = re.findall(r'<option value="([^"]*)"', options)
    for _kind, name, value in re.findall(
        r'<input type="(checkbox|radio)" name="([^"]+)" value="([^"]*)"', html
    ):
        fields.setdefault(name, []).append(value)
    return fields


def unkept(monkeypatch, path: str, user) -> str:
    """The page as the user is given it with its choices compiled for the request, as before they were kept."""
    with monkeypatch.context() as patched:
        patched.setattr(RecordFormMixin, "kept_choices", lambda self: None)
        patched.setattr(IssueDetailView, "kept_choices", None)
        return page_client(user).get(path).content.decode()


def test_each_reader_is_offered_their_own_choices_whoever_drew_the_form_before(table, monkeypatch):
    marker = "KEPT-CHOICE-5521"
    CriticalFunctionFactory(
        community=table.community, organization=table.public_org, name=f"Dispatch {marker}", tlp=TLP.AMBER
    )
    CriticalFunctionFactory(
        community=table.community, organization=table.private_org, name="Fleet", tlp=TLP.GREEN
    )
    issue = propose(table, tlp="TLP:GREEN")
    propose(table, title="Another fuel issue", tlp="TLP:GREEN")
    paths = (f"/c/{table.community.slug}/assessments/new/", f"/issues/{issue.pk}/")
    readers = {  # who may open each page (a member does not assess)
        paths[0]: ("cochair", "admin", "other_admin", "facilitator"),
        paths[1]: ("cochair", "admin", "member", "facilitator"),
    }
    visits = [(path, role) for path in paths for role in readers[path]]
    expected = {(path, role): unkept(monkeypatch, path, table.user(role)) for path, role in visits}
    new_assessment = {role: offered(expected[paths[0], role]) for role in readers[paths[0]]}
    assert new_assessment["cochair"]["organization"] != new_assessment["admin"]["organization"]
    assert new_assessment["cochair"]["critical_functions"] != new_assessment["admin"]["critical_functions"]
    assert marker in expected[paths[0], "cochair"] and marker not in expected[paths[0], "admin"]
    # the merge form's targets are drawn for a co-chair only
    assert offered(expected[paths[1], "cochair"])["into"]
    assert "into" not in offered(expected[paths[1], "member"])
    forget_kept_rows()
    # each reader after each other, their choices kept from the first
    for path, role in (*visits, *reversed(visits)):
        response = page_client(table.user(role)).get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert offered(html) == offered(expected[path, role]), (path, role)
        assert (marker in html) == (marker in expected[path, role]), (path, role)


def test_the_second_drawing_compiles_no_choices(table, monkeypatch):
    CriticalFunctionFactory(community=table.community, organization=table.public_org, tlp=TLP.GREEN)
    issue = propose(table, tlp="TLP:GREEN")
    propose(table, title="Another fuel issue", tlp="TLP:GREEN")
    client = page_client(table.cochair)
    paths = (f"/c/{table.community.slug}/assessments/new/", f"/issues/{issue.pk}/")
    first = {path: client.get(path).content for path in paths}

    def compiled_again(queryset):
        raise AssertionError("a choice's query was compiled again")

    monkeypatch.setattr(core_forms, "instances", compiled_again)
    for path in paths:
        response = client.get(path)
        assert offered(response.content.decode()) == offered(first[path].decode())
        assert offered(response.content.decode())["organization"]


def test_a_posted_form_reads_its_choices_whole(table, monkeypatch):
    """A posted form's querysets are whole records, not the drawn form's: never read by the drawn form's SQL."""
    client = page_client(table.cochair)
    path = f"/c/{table.community.slug}/assessments/new/"
    assert client.get(path).status_code == 200
    response = client.post(
        path, {"organization": table.public_org.pk}
    )  # invalid: drawn again with its errors
    assert response.status_code == 200
    assert offered(response.content.decode()) == offered(client.get(path).content.decode())
