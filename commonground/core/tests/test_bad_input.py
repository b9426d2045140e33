"""Arbitrary input to the registry's API writes and every app's import: a clear 4xx or row error, never
a 500, and nothing changed by a rejected write (every app's API writes: `test_bad_input_api.py`)."""

import io
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from commonground.communities.services import COMMUNITY_FIELDS
from commonground.core.exchange import IMPORTERS
from commonground.core.testing import watching_writes
from commonground.registry.services.organizations import ORGANIZATION_FIELDS

HYPOTHESIS = settings(max_examples=30)

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(
        allow_nan=False, allow_infinity=False
    ),  # JSON cannot carry the others; raw bodies are fuzzed below
    st.text(max_size=300),
    st.text(alphabet=string.digits + ".-e+", max_size=30),
    st.dates().map(str),
    st.datetimes().map(str),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)

FIELDS = {
    "communities": list(COMMUNITY_FIELDS),
    "organizations": [*ORGANIZATION_FIELDS, "community"],
    "people": ["organization", "first_name", "last_name", "email", "phone", "role", "contact_tlp"],
    "memberships": ["community", "organization"],
    "cochairs": ["community", "person"],
    "invitations": [
        "community",
        "email",
        "name",
        "organization",
        "organization_name",
        "suggested_category",
        "as_cochair",
        "message",
    ],
}


def payloads(fields):
    return st.dictionaries(st.sampled_from(fields), anything, max_size=len(fields))


def check(response, writes):
    """A rejected write answers in JSON and changed no table (an import of any app's records, or a write of
    any model, shows in `writes`)."""
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json")
        assert not writes.changed, "a rejected write changed the database"


@pytest.mark.parametrize("resource", sorted(FIELDS))
def test_api_creates_take_any_input_without_a_500(table, resource):
    client = APIClient()
    client.force_authenticate(table.facilitator)

    @HYPOTHESIS
    @given(payload=payloads(FIELDS[resource]))
    def attempt(payload):
        with watching_writes() as writes:
            response = client.post(f"/api/v1/{resource}/", payload, format="json")
        check(response, writes)

    attempt()


@pytest.mark.parametrize("resource", sorted(r for r, fields in FIELDS.items() if "community" in fields))
def test_a_community_that_is_not_a_slug_is_a_field_error(table, resource):
    """Hypothesis found it on PostgreSQL, which refuses text with a NUL byte: a 500 instead of a 400."""
    client = APIClient()
    client.force_authenticate(table.facilitator)
    with watching_writes() as writes:
        response = client.post(f"/api/v1/{resource}/", {"community": "river\x00bend"}, format="json")
    assert response.status_code == 400
    assert "community" in response.json()
    assert not writes.changed
    listed = client.get("/api/v1/organizations/", {"community": "river\x00bend"})
    assert listed.status_code == 200 and listed.json()["count"] == 0


@pytest.mark.parametrize("resource", ["communities", "organizations", "people"])
def test_api_updates_take_any_input_without_a_500(table, resource):
    client = APIClient()
    client.force_authenticate(table.facilitator)
    key = {
        "communities": table.community.slug,
        "organizations": table.private_org.pk,
        "people": table.member.person.pk,
    }[resource]

    @HYPOTHESIS
    @given(payload=payloads(FIELDS[resource]), method=st.sampled_from(["patch", "put"]))
    def attempt(payload, method):
        with watching_writes() as writes:
            response = getattr(client, method)(f"/api/v1/{resource}/{key}/", payload, format="json")
        check(response, writes)

    attempt()


def test_api_takes_a_body_that_is_not_json_without_a_500(table):
    client = APIClient()
    client.force_authenticate(table.facilitator)

    @HYPOTHESIS
    @given(
        body=st.binary(max_size=200),
        content_type=st.sampled_from(["application/json", "text/plain", "multipart/form-data; boundary=x"]),
    )
    def attempt(body, content_type):
        with watching_writes() as writes:
            response = client.generic("POST", "/api/v1/organizations/", body, content_type=content_type)
        check(response, writes)

    attempt()


cells = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["public", "private", "police", "utility", "TLP:RED", "-1", "1e999", "=1+1", "48933"]),
)


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_imports_take_any_file_and_report_rows_or_write_nothing(table, kind):
    columns = [column.name for column in IMPORTERS[kind].columns]

    @HYPOTHESIS
    @given(
        header=st.lists(
            st.sampled_from(columns + ["bogus", ""]), min_size=1, max_size=len(columns), unique=True
        ),
        rows=st.lists(st.lists(cells, min_size=0, max_size=len(columns) + 1), max_size=5),
        encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
    )
    def attempt(header, rows, encoding):
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        try:
            content = buffer.getvalue().encode(encoding)
        except UnicodeEncodeError:
            return
        with watching_writes() as writes:
            report = IMPORTERS[kind](actor=table.cochair, community=table.community).run(
                io.BytesIO(content), "file.csv"
            )
        if not report.ok:
            assert report.errors and all(error.row >= 0 and error.message for error in report.errors)
            assert not writes.changed

    attempt()


@given(content=st.binary(max_size=300))
@HYPOTHESIS
def test_a_spreadsheet_that_is_not_one_is_refused(table, content):
    report = IMPORTERS["organizations"](actor=table.cochair, community=table.community).run(
        io.BytesIO(content), "file.xlsx"
    )
    assert not report.ok and report.errors[0].message
