"""Instances read by kept SQL (core.kept_rows) are the ORM's own, field by field, and every reader of a
community by its slug (CommunityParameterMixin) gets only what the reader may see, in any order of readers."""

from __future__ import annotations

import pytest
from django.db.models import Count, Min
from django.db.models.signals import post_init

from commonground.communities.models import Community, Membership
from commonground.communities.selectors import community_by_slug
from commonground.core.kept_rows import forget_kept_rows, kept_rows
from commonground.core.testing import api_client
from commonground.core.viewer import viewer_for


@pytest.fixture(autouse=True)
def _fresh():
    forget_kept_rows()
    yield
    forget_kept_rows()


def _state(instance) -> dict:
    """What an instance holds: its class, its loaded columns, its state, and the same of each related row it
    was read with."""
    columns = {k: v for k, v in instance.__dict__.items() if k not in ("_state", "_prefetched_objects_cache")}
    related = {name: _state(other) for name, other in instance._state.fields_cache.items()}
    return {
        "class": type(instance),
        "columns": columns,
        "db": instance._state.db,
        "adding": instance._state.adding,
        "related": related,
    }


def _seats(keys):
    return (
        Membership.objects.select_related("community", "organization")
        .only("id", "created", "community__slug", "community__created", "organization__name")
        .order_by()
        .filter(pk__in=keys)
    )


def test_the_instances_are_those_the_orm_makes_with_related_rows_and_deferred_columns(table):
    keys = list(Membership.objects.order_by("pk").values_list("pk", flat=True))
    for round_ in range(2):  # the second reads by the kept SQL
        for chosen in (keys, keys[:1], keys[::-1]):
            made = kept_rows(("seats",), lambda chosen=chosen: _seats(chosen), "default", values=chosen)
            by_orm = list(_seats(chosen))
            assert sorted(map(_state, made), key=repr) == sorted(map(_state, by_orm), key=repr), round_
    seat = kept_rows(("seats",), lambda: _seats(keys[:1]), "default", values=keys[:1])[0]
    assert seat.community.slug and seat.organization.name
    assert seat.invitation_id is None  # a deferred column is read when asked for, as the ORM's would be


def _annotated():
    return (
        Community.objects.annotate(seats=Count("memberships"), first_seat=Min("memberships__created"))
        .order_by("pk")
        .only("name")
    )


def test_annotations_and_a_union_are_read_as_the_orm_reads_them(settings, table):
    settings.KEPT_SQL_CHECK = False  # it counts compilations; the check compiles each read again

    def united():
        one = Membership.objects.filter(community__slug="riverbend").select_related("organization").order_by()
        other = (
            Membership.objects.filter(community__slug="elsewhere").select_related("organization").order_by()
        )
        return one.union(other).order_by("-pk")

    built = []

    def annotated():
        built.append(1)
        return _annotated()

    for round_ in range(2):  # the second reads by the kept SQL
        made, by_orm = kept_rows(("annotated",), annotated), list(_annotated())
        assert list(map(_state, made)) == list(map(_state, by_orm)), round_
        assert {c.seats for c in made} == {2, 1} and all(c.first_seat for c in made)
        made, by_orm = kept_rows(("united",), united), list(united())
        assert list(map(_state, made)) == list(map(_state, by_orm)), round_
    assert len(built) == 1  # kept, not read by the ORM again


def test_the_rows_are_read_afresh_each_time(table):
    key = ("by slug", "riverbend")
    assert [
        c.name for c in kept_rows(key, lambda: Community.objects.filter(slug="riverbend"), "default")
    ] == ["Riverbend"]
    Community.objects.filter(slug="riverbend").update(name="Riverbend County")
    assert [
        c.name for c in kept_rows(key, lambda: Community.objects.filter(slug="riverbend"), "default")
    ] == ["Riverbend County"]


def test_a_query_that_matches_nothing_reads_nothing(table, django_assert_num_queries):
    for _ in range(2):
        with django_assert_num_queries(0):
            assert kept_rows(("none",), lambda: Community.objects.with_slug("not a slug!"), "default") == []


def test_values_that_are_not_the_query_s_parameters_are_read_by_the_orm(table):
    def build():
        return Community.objects.filter(slug="riverbend")  # made without the values given

    for _ in range(2):
        assert [c.slug for c in kept_rows(("odd",), build, "default", values=["elsewhere"])] == ["riverbend"]


def test_a_model_a_signal_receiver_listens_to_is_made_by_the_orm(table):
    kept_rows(("by slug", "riverbend"), lambda: Community.objects.filter(slug="riverbend"), "default")
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(receiver, sender=Community)
    try:
        made = kept_rows(
            ("by slug", "riverbend"), lambda: Community.objects.filter(slug="riverbend"), "default"
        )
    finally:
        post_init.disconnect(receiver, sender=Community)
    assert heard == made and len(made) == 1


def test_a_community_by_slug_is_each_reader_s_own(table):
    readers = [table.outsider, table.member, table.facilitator, table.outsider, table.cochair, table.outsider]
    for _round in range(2):
        for user in readers:
            found = community_by_slug(viewer_for(user), "riverbend")
            if user == table.outsider:
                assert found is None
            else:
                assert found == table.community and found.name == "Riverbend"
        assert community_by_slug(viewer_for(table.outsider), "elsewhere") == table.other_community
        assert community_by_slug(viewer_for(table.member), "elsewhere") is None


def test_an_api_list_narrowed_to_a_community_the_reader_does_not_sit_at_is_empty_after_one_who_does(table):
    for _round in range(2):
        for user, seen in ((table.member, True), (table.outsider, False), (table.cochair, True)):
            body = api_client(user).get("/api/v1/organizations/", {"community": "riverbend"}).json()
            names = {row["name"] for row in body["results"]}
            assert names == ({"Riverbend Fire", "Great Lakes Logistics"} if seen else set()), user


def test_instances_are_those_the_orm_makes(table):
    """`instances` (a select's options) makes what the ORM makes, field by field, with related rows and deferred
    columns, and reads nothing for a query that matches nothing."""
    from commonground.core.kept_rows import instances
    from commonground.registry.models import Organization, Person

    for queryset in (
        _seats(list(Membership.objects.values_list("pk", flat=True))),
        Organization.objects.order_by("name").only("pk", "name"),
        Person.objects.select_related("organization")
        .order_by("pk")
        .only("pk", "first_name", "organization__name"),
        Organization.objects.filter(pk__in=[]),
    ):
        assert [_state(i) for i in instances(queryset)] == [_state(i) for i in queryset]
    assert instances(Organization.objects.filter(pk__in=[])) == []


def test_values_that_match_nothing_are_not_kept_for_other_values(table):
    """A call whose values compile to nothing (a key beyond the column's integers) reads nothing, and the next call,
    with a key that exists, still finds its row: what matches nothing was decided by the first call's values."""
    from commonground.registry.models import Organization

    organization = table.public_org

    def by_key(key):
        return kept_rows(
            ("organization by key, test",),
            lambda: Organization.objects.order_by().filter(pk=key).only("pk", "name"),
            values=(key,),
        )

    assert by_key(2**70) == []
    assert [found.pk for found in by_key(organization.pk)] == [organization.pk]
    assert [found.pk for found in by_key(table.private_org.pk)] == [table.private_org.pk]  # now kept
