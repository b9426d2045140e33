"""The TLP table of DESIGN.md, checked on the one mechanism every record reuses (people's contact details)."""

import dataclasses

import pytest

from commonground.core.tlp import TLP, narrowest
from commonground.core.viewer import viewer_for
from commonground.registry.models import Person
from commonground.registry.tests.factories import PersonFactory

# Who sees the contact details of a person of the private organization, by marking.
# The subject is a colleague of `admin` and `member` (same organization).
EXPECTED = {
    TLP.CLEAR: {"facilitator", "cochair", "admin", "other_admin", "member", "outsider", "visitor"},
    TLP.GREEN: {"facilitator", "cochair", "admin", "other_admin", "member"},
    TLP.AMBER: {"facilitator", "cochair", "admin", "member"},
    TLP.AMBER_STRICT: {"admin", "member"},
    TLP.RED: set(),
}
ROLES = ["facilitator", "cochair", "admin", "other_admin", "member", "outsider", "visitor"]


@pytest.mark.parametrize("marking", list(TLP))
@pytest.mark.parametrize("role", ROLES)
def test_contact_details_follow_the_tlp_table(table, role, marking):
    subject = PersonFactory(organization=table.private_org, contact_tlp=marking)
    user = None if role == "visitor" else table.user(role)
    viewer = viewer_for(user)
    people = Person.objects.filter(pk=subject.pk)
    assert people.filter(people.tlp_q(viewer)).exists() is (role in EXPECTED[marking])
    annotated = Person.objects.with_contact_visibility(viewer).get(pk=subject.pk)
    assert annotated.contact_visible is (role in EXPECTED[marking])


def test_a_person_always_sees_their_own_red_contact_details(table):
    person = table.member.person
    person.contact_tlp = TLP.RED
    person.save()
    viewer = viewer_for(table.member)
    assert Person.objects.with_contact_visibility(viewer).get(pk=person.pk).contact_visible
    assert (
        not Person.objects.with_contact_visibility(viewer_for(table.admin)).get(pk=person.pk).contact_visible
    )


def test_people_of_another_community_are_not_listed(table):
    viewer = viewer_for(table.outsider)
    names = set(Person.objects.visible_to(viewer).values_list("organization__name", flat=True))
    assert names == {"Elsewhere Bakery"}


def test_narrowest_marking_of_a_set():
    assert narrowest([TLP.GREEN, TLP.AMBER, TLP.CLEAR]) == TLP.AMBER
    assert narrowest([]) == TLP.CLEAR


def test_reader_key_differs_for_every_fact_of_the_viewer_and_not_for_the_order_of_a_set():
    from commonground.core.visibility import Viewer, reader_key

    base = Viewer(user_id=1, person_id=2, organization_id=3, community_ids=frozenset({4, 5}))
    assert reader_key(base) == reader_key(Viewer(user_id=1, person_id=2, organization_id=3,
                                                 community_ids=frozenset({5, 4}), organizations_at=lambda ids: ids))  # fmt: skip
    changed = [
        dataclasses.replace(base, user_id=9), dataclasses.replace(base, is_facilitator=True),
        dataclasses.replace(base, person_id=None), dataclasses.replace(base, organization_id=None),
        dataclasses.replace(base, is_organization_admin=True),
        dataclasses.replace(base, community_ids=frozenset({4})),
        dataclasses.replace(base, cochair_community_ids=frozenset({4})),
    ]  # fmt: skip
    keys = {reader_key(viewer) for viewer in [base, *changed]}
    assert len(keys) == len(changed) + 1
