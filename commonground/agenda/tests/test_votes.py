import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.agenda import services, tally
from commonground.agenda.models import Issue
from commonground.communities import services as communities_services
from commonground.core.models import AuditEntry
from commonground.core.testing import page_client

from .factories import propose


def test_a_borda_count_worked_through():
    # Three issues; ballots rank them (A=1, B=2, C=3) and (B=1, A=2) with C unranked.
    totals = tally.points("ranked", [1, 2, 3], [{"1": 1, "2": 2, "3": 3}, {"2": 1, "1": 2}])
    assert totals == {1: 3 + 2, 2: 2 + 3, 3: 1}
    # A tie between 1 and 2 goes to the higher collective impact (smaller tie-break first).
    places = tally.order(totals, {1: (-20.0,), 2: (-35.0,), 3: (-50.0,)})
    assert [(r.issue_id, r.points, r.place) for r in places] == [(2, 5, 1), (1, 5, 2), (3, 1, 3)]


def test_a_dot_vote_worked_through():
    assert tally.points("dot", [1, 2], [{"1": 3, "2": 2}, {"2": 5}]) == {1: 3, 2: 7}


@pytest.fixture
def agenda(table):
    first = propose(table, title="Fuel for generators when the interstate closes")
    second = propose(table, title="Cooling centres in a heat wave")
    for issue in (first, second):
        services.issue_decide(actor=table.cochair, issue=issue, decision="adopt")
    return first, second


def test_co_chairs_open_a_vote_on_adopted_issues_only(table, agenda):
    proposed = propose(table, title="Not adopted yet")
    with pytest.raises(ValidationError):
        services.vote_open(
            actor=table.cochair,
            community=table.community,
            title="Order",
            kind="dot",
            issues=[agenda[0], proposed],
        )
    with pytest.raises(PermissionDenied):
        services.vote_open(
            actor=table.admin, community=table.community, title="Order", kind="dot", issues=agenda
        )


def test_a_dot_vote_orders_the_agenda_when_closed(table, agenda):
    first, second = agenda
    vote = services.vote_open(
        actor=table.cochair, community=table.community, title="Order", kind="dot", issues=agenda, dots=5
    )
    services.ballot_cast(
        actor=table.admin, vote=vote, organization=table.private_org, choices={first.pk: 1, second.pk: 4}
    )
    services.ballot_cast(
        actor=table.other_admin, vote=vote, organization=table.public_org, choices={first.pk: 2, second.pk: 3}
    )
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(
            actor=table.other_admin, vote=vote, organization=table.public_org, choices={first.pk: 6}
        )
    assert "at most 5" in str(error.value)
    with pytest.raises(PermissionDenied):  # a plain member does not cast the organization's ballot
        services.ballot_cast(
            actor=table.member, vote=vote, organization=table.private_org, choices={first.pk: 1}
        )
    results = services.vote_close(actor=table.cochair, vote=vote)
    assert [(r.issue_id, r.points) for r in results] == [(second.pk, 7), (first.pk, 3)]
    assert dict(Issue.objects.values_list("pk", "agenda_rank")) == {first.pk: 2, second.pk: 1}
    with pytest.raises(ValidationError):
        services.ballot_cast(
            actor=table.admin, vote=vote, organization=table.private_org, choices={first.pk: 1}
        )


@pytest.mark.parametrize("choices", [{"a": 1}, {1: 1, 2: 1}, {2: 2}, {999: 1}, {}])
def test_a_ranked_ballot_needs_ranks_1_2_3_without_gaps_on_the_ballots_issues(table, agenda, choices):
    first, second = agenda
    keys = {1: first.pk, 2: second.pk}
    vote = services.vote_open(
        actor=table.cochair, community=table.community, title="Order", kind="ranked", issues=agenda
    )
    with pytest.raises(ValidationError):
        services.ballot_cast(
            actor=table.admin, vote=vote, organization=table.private_org,
            choices={keys.get(k, k): v for k, v in choices.items()},
        )  # fmt: skip
    assert not vote.ballots.exists()


def _state(vote):
    return list(vote.ballots.values_list("organization_id", "choices")), AuditEntry.objects.count()


@pytest.mark.parametrize("role", ["cochair", "facilitator", "other_admin", "member", "outsider"])
def test_regression_nobody_casts_another_organizations_ballot_not_even_a_cochair(table, agenda, role):
    vote = services.vote_open(
        actor=table.cochair, community=table.community, title="Order", kind="dot", issues=agenda
    )
    before = _state(vote)
    with pytest.raises(PermissionDenied) as refused:
        services.ballot_cast(
            actor=table.user(role), vote=vote, organization=table.private_org, choices={agenda[0].pk: 1}
        )
    assert "its own" in str(refused.value)
    assert _state(vote) == before


def test_a_cochair_casts_their_own_organizations_ballot_as_its_admin(table, agenda):
    vote = services.vote_open(
        actor=table.cochair, community=table.community, title="Order", kind="dot", issues=agenda
    )
    services.ballot_cast(
        actor=table.cochair, vote=vote, organization=table.public_org, choices={agenda[0].pk: 1}
    )
    assert list(vote.ballots.values_list("organization_id", flat=True)) == [table.public_org.pk]


def test_members_cast_their_organizations_ballot_where_the_community_lets_them(table, agenda):
    vote = services.vote_open(
        actor=table.cochair, community=table.community, title="Order", kind="dot", issues=agenda
    )
    with pytest.raises(PermissionDenied):
        services.ballot_cast(
            actor=table.member, vote=vote, organization=table.private_org, choices={agenda[0].pk: 1}
        )
    communities_services.community_update(
        actor=table.cochair, community=table.community, data={"members_cast_ballots": True}
    )
    vote.refresh_from_db()
    services.ballot_cast(
        actor=table.member, vote=vote, organization=table.private_org, choices={agenda[0].pk: 1}
    )
    with pytest.raises(PermissionDenied):
        services.ballot_cast(
            actor=table.member, vote=vote, organization=table.public_org, choices={agenda[0].pk: 1}
        )
    assert list(vote.ballots.values_list("organization_id", flat=True)) == [table.private_org.pk]


def test_the_ballot_page_offers_only_the_viewers_own_organization(table, agenda):
    vote = services.vote_open(
        actor=table.cochair, community=table.community, title="Order", kind="dot", issues=agenda
    )
    page = page_client(table.cochair).get(f"/votes/{vote.pk}/")
    assert list(page.context["form"].fields["organization"].queryset) == [table.public_org]
    page = page_client(table.facilitator).get(f"/votes/{vote.pk}/")
    assert not page.context["can_vote"]
    assert page_client(table.member).get(f"/votes/{vote.pk}/").context["can_vote"] is False
