"""The viewers of many logins read at once (a batch of mail) equal the viewer of each read alone, in a
constant number of queries whatever the number of logins."""

from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser

from commonground.communities.tests.factories import CoChairFactory, CommunityFactory, MembershipFactory
from commonground.core import viewer as core_viewer
from commonground.core.viewer import viewer_for, viewers_for
from commonground.core.visibility import ANONYMOUS
from commonground.registry import viewer as registry_viewer
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory, UserFactory
from commonground.registry.viewer import viewer_for_user, viewers_for_users

pytestmark = pytest.mark.django_db


def _login(organization=None, role="member", **kwargs):
    user = UserFactory(**kwargs)
    if organization is not None:
        PersonFactory(organization=organization, user=user, role=role)
    return user


def mixed_world(table) -> dict:
    """Every kind of login the viewer tells apart: facilitators with and without a person, co-chairs of one
    and of two tables, admins and members, one organization at two tables, one at none, and no person."""
    third = CommunityFactory(slug="lakeshore", name="Lakeshore")
    MembershipFactory(community=third, organization=table.public_org)
    regional = OrganizationFactory(name="Regional Utility", sector="private", category="utilities")
    for community in (table.community, table.other_community, third):
        MembershipFactory(community=community, organization=regional)
    two_tables = _login(regional, role="admin")
    for community in (table.community, third):
        CoChairFactory(community=community, person=two_tables.person)
    seated_facilitator = _login(table.private_org, is_facilitator=True)
    CoChairFactory(community=table.other_community, person=_login(table.outside_org, role="admin").person)
    return {
        "facilitator": table.facilitator,
        "facilitator with a person": seated_facilitator,
        "co-chair of one table": table.cochair,
        "co-chair of two tables": two_tables,
        "admin": table.admin,
        "other admin": table.other_admin,
        "member": table.member,
        "member at three tables": _login(regional),
        "outsider": table.outsider,
        "at no table": _login(OrganizationFactory(name="Not Yet Seated"), role="admin"),
        "no person": _login(),
        "inactive": _login(table.private_org, is_active=False),
    }


def _fresh(user):
    """The same login read again: no viewer kept on it from an earlier call."""
    return type(user).objects.get(pk=user.pk)


def test_the_bulk_viewer_of_each_login_equals_its_own(table):
    logins = mixed_world(table)
    bulk = viewers_for_users([_fresh(user) for user in logins.values()])
    assert set(bulk) == {user.pk for user in logins.values()}
    for role, user in logins.items():
        assert bulk[user.pk] == viewer_for_user(_fresh(user)), role
    # The world tells the roles apart (their logins aside; the inactive login reads as the member): equal
    # viewers that were all alike would prove nothing.
    standing = {replace(bulk[user.pk], user_id=None, person_id=None) for user in logins.values()}
    assert len(standing) == len(logins) - 1
    assert len(bulk[logins["co-chair of two tables"].pk].cochair_community_ids) == 2
    assert len(bulk[logins["member at three tables"].pk].community_ids) == 3
    assert bulk[logins["no person"].pk].person_id is None


def test_viewers_for_keeps_each_viewer_on_its_login_and_reads_only_those_not_yet_known(
    table, django_assert_num_queries
):
    logins = [_fresh(user) for user in mixed_world(table).values()]
    known = logins[0]
    viewer_for(known)
    with django_assert_num_queries(1):
        viewers = viewers_for([AnonymousUser(), None, *logins])
    assert viewers[:2] == [ANONYMOUS, ANONYMOUS]
    assert viewers[2:] == [viewer_for_user(user) for user in logins]
    with django_assert_num_queries(0):
        assert [viewer_for(user) for user in logins] == viewers[2:]
        assert viewers_for(logins) == viewers[2:]


def test_the_bulk_read_is_one_query_whatever_the_number_of_logins(table, django_assert_num_queries):
    organizations = [table.public_org, table.private_org, table.outside_org]
    logins = [_login(organizations[i % 3], role=("admin", "member")[i % 2]) for i in range(50)]
    for count in (5, 50):
        fresh = [_fresh(user) for user in logins[:count]]
        with django_assert_num_queries(1):
            assert len(viewers_for(fresh)) == count


def test_more_logins_than_a_query_takes_are_read_in_chunks(table, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(registry_viewer, "CHUNK", 2)
    logins = [_fresh(user) for user in mixed_world(table).values()]
    with django_assert_num_queries(-(-len(logins) // 2)):
        bulk = viewers_for_users(logins)
    assert [bulk[user.pk] for user in logins] == [viewer_for_user(user) for user in logins]


def test_the_bulk_factory_is_named_by_a_setting(table, settings):
    settings.VIEWERS_FACTORY = "commonground.registry.tests.test_viewers_bulk.no_one_at_the_table"
    user = _fresh(table.member)
    assert core_viewer.viewers_for([user]) == [no_one_at_the_table([user])[user.pk]]


def no_one_at_the_table(users):
    return {user.pk: core_viewer.Viewer(user_id=user.pk) for user in users}
