"""The member shortcut of the organization and people lists, and the API's seat count, equal `visible_to`."""

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIClient

from commonground.core.viewer import viewer_for
from commonground.registry import selectors
from commonground.registry.models import Organization, Person
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory, UserFactory

ROLES = ["facilitator", "cochair", "admin", "other_admin", "member", "outsider", "unseated", "visitor"]


def _user(table, role):
    if role == "visitor":
        return AnonymousUser()
    if role == "unseated":
        user = UserFactory()
        PersonFactory(organization=OrganizationFactory(name="Not Yet Seated"), user=user, role="admin")
        return user
    return table.user(role)


@pytest.mark.parametrize("role", ROLES)
def test_the_member_shortcut_lists_exactly_what_visible_to_lists(table, role):
    PersonFactory(organization=table.private_org, contact_tlp="TLP:RED")
    PersonFactory(organization=table.outside_org, contact_tlp="TLP:AMBER")
    viewer = viewer_for(_user(table, role))
    for community in (table.community, table.other_community):
        shortcut = set(
            selectors.organization_list(viewer=viewer, community=community).values_list("pk", flat=True)
        )
        rule = set(
            Organization.objects.visible_to(viewer).in_community(community).values_list("pk", flat=True)
        )
        assert shortcut == rule, (role, community.slug)
        people = selectors.person_list(viewer=viewer, community=community)
        seated = Organization.objects.in_community(community).values("pk")
        by_rule = (
            Person.objects.visible_to(viewer).filter(organization__in=seated).with_contact_visibility(viewer)
        )
        assert {(p.pk, p.contact_visible) for p in people} == {(p.pk, p.contact_visible) for p in by_rule}, (
            role,
            community.slug,
        )


@pytest.mark.parametrize("role", [r for r in ROLES if r != "visitor"])
def test_the_organization_count_the_api_gives_is_the_count_of_what_visible_to_lists(table, role):
    user = _user(table, role)
    client = APIClient()
    client.force_authenticate(user)
    viewer = viewer_for(user)
    for community in (table.community, table.other_community):
        response = client.get("/api/v1/organizations/", {"community": community.slug})
        rule = Organization.objects.visible_to(viewer).in_community(community)
        if response.status_code == 200:
            assert response.json()["count"] == rule.count(), (role, community.slug)
        else:
            assert not rule.exists(), (role, community.slug, response.status_code)
