"""Arbitrary input to every API create, update and action of every app: a clear 4xx, never a 500, and
nothing changed by a rejected write.

The operations are the permission matrix's rows (complete by its own check), so a new endpoint is
fuzzed without a new line: each body starts from the row's valid one, with fields dropped, replaced by
arbitrary values, or added from the operation's schema.
"""

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from commonground.core.testing import WRITES, rows, watching_writes

from .test_bad_input import anything
from .test_permission_matrix import _module_media  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
API, _PAGES = rows()
# Signing in and accepting an invitation answer to anyone: their bad input is fuzzed with the rest,
# but as the visitor they are.
AS_VISITOR = {("POST", "/api/v1/auth/token/"), ("POST", "/api/v1/invitations/accept/")}
BODY_WRITES = sorted(
    op for op in API if op[0] in WRITES - {"DELETE"} and op[0:2] != ("POST", "/api/v1/auth/token/")
)
HYPOTHESIS = settings(max_examples=12)


def schema_fields() -> dict[tuple[str, str], list[str]]:
    """Return the request-body fields the schema names for each write."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = content.get("schema", {}).get("$ref", "")
            found[(method.upper(), path)] = list(
                components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
            )
    return found


FIELDS = schema_fields()


@st.composite
def mangled(draw, valid: dict, fields: list[str]) -> dict:
    """A valid body with some fields dropped, some given arbitrary values, and some added."""
    body = {key: value for key, value in valid.items() if not draw(st.booleans())}
    names = sorted(set(fields) | set(valid))
    if names:
        for name in draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True)):
            body[name] = draw(anything)
    return body


@pytest.mark.parametrize("operation", BODY_WRITES, ids=lambda op: f"{op[0]} {op[1]}")
def test_every_api_write_takes_any_body_without_a_500(matrix_world, operation):
    build, _expected = API[operation]
    client = APIClient()
    if operation not in AS_VISITOR:
        client.force_authenticate(matrix_world.table.facilitator)

    @HYPOTHESIS
    @given(data=st.data())
    def attempt(data):
        with transaction.atomic():
            path, valid = build(matrix_world)
            body = data.draw(mangled(valid or {}, FIELDS.get(operation, [])))
            with watching_writes() as writes:
                response = getattr(client, operation[0].lower())(path, body, format="json")
            assert response.status_code < 500, (operation, body, response.content[:500])
            if response.status_code >= 400:
                assert response["Content-Type"].startswith("application/json")
                assert not writes.changed, (operation, body, "a rejected write changed the database")
            transaction.set_rollback(True)

    attempt()
