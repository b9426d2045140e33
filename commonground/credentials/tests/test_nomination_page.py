"""The nominations page reads its lists by SQL kept for the reader and the table (`core.kept_rows`): each reader is
shown exactly the nominations and credentials the ORM would show them, whoever opened the page before."""

import re

import pytest

from commonground.communities.tests.factories import MembershipFactory
from commonground.core.kept_rows import forget_kept_rows
from commonground.core.testing import page_client
from commonground.credentials import services
from commonground.credentials.views import enrolment
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory, UserFactory

from .builders import build_program

MARKER = "NOMPAGE-4417"
PATH = "/c/riverbend/credentials/nominations/"
READERS = ("cochair", "admin", "member", "other_admin", "harbor_admin", "facilitator")


@pytest.fixture(autouse=True)
def _fresh():
    forget_kept_rows()
    yield
    forget_kept_rows()


def tables(html: str) -> list[str]:
    return re.findall(r"<tbody>(.*?)</tbody>", html, re.S)


def test_each_reader_sees_their_own_nominations_whoever_opened_the_page_before(table, monkeypatch):
    build_program(table, activate=False)
    harbor = OrganizationFactory(name="Harbor Utility")
    MembershipFactory(community=table.community, organization=harbor)
    table.harbor_admin = UserFactory()
    PersonFactory(organization=harbor, user=table.harbor_admin, role="admin")
    lineman = PersonFactory(organization=harbor, first_name="Lineman", last_name=MARKER)
    yard = services.facility_create(
        actor=table.harbor_admin, community=table.community, organization=harbor, name="Pole yard",
        latitude=41.5, longitude=-87.5, zip_code="60601",
    )  # fmt: skip
    services.nomination_create(
        actor=table.harbor_admin, community=table.community, organization=harbor, person=lineman,
        kind="standard", facilities=[yard], reason="damage_assessment", job_role="Lineman",
    )  # fmt: skip
    with monkeypatch.context() as unkept:  # the lists read by the ORM for each request
        unkept.setattr(enrolment, "kept_rows", lambda key, build, *args, **kwargs: list(build()))
        expected = {
            role: tables(page_client(table.user(role)).get(PATH).content.decode()) for role in READERS
        }
    assert MARKER in str(expected["harbor_admin"]) and MARKER in str(expected["cochair"])
    assert MARKER not in str(expected["admin"]) and MARKER not in str(expected["member"])
    assert expected["admin"] != expected["harbor_admin"]
    forget_kept_rows()
    for role in (*READERS, *reversed(READERS)):
        response = page_client(table.user(role)).get(PATH)
        assert response.status_code == 200
        assert tables(response.content.decode()) == expected[role], role
