"""The priority score and the needs profile, worked through, with the withholding rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from commonground.communities.models import Membership
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry.tests.factories import OrganizationFactory
from commonground.sustainability import services
from commonground.sustainability.models import NeedsAnswer
from commonground.sustainability.priorities import needs_profile, priority_score


def test_the_priority_score_worked_through():
    # 100 x (4.5 / 5) x (3 / 4) x (0.5 + 0.5 x 0.75) = 100 x 0.9 x 0.75 x 0.875
    assert priority_score(4.5, 2.0, 0.75) == 59.1
    # 100 x 0.6 x 0.25 x 0.625
    assert priority_score(3.0, 4.0, 0.25) == 9.4
    assert priority_score(5.0, 5.0, 1.0) == 0.0  # fully in place: no need, however important
    assert priority_score(5.0, 1.0, 1.0) == 100.0


@pytest.fixture
def assessment(table):
    return services.needs_assessment_open(
        actor=table.cochair,
        community=table.community,
        title="2027 needs",
        closes_on=datetime.date(2099, 1, 1),
    )


def seat(table, name, sector="private"):
    organization = OrganizationFactory(name=name, sector=sector, level="local" if sector == "public" else "")
    Membership.objects.create(community=table.community, organization=organization)
    return organization


def answer(assessment, organization, item, level, importance, tlp=TLP.AMBER):
    return services.needs_answers_save(
        actor=None, assessment=assessment, organization=organization, tlp=tlp,
        answers=[{"item": item.pk, "level": level, "importance": importance, "poete": "training"}],
    )  # fmt: skip


def test_the_profile_ranks_needs_and_leaves_out_what_rests_on_one_or_two_organizations(table, assessment):
    first, second = list(assessment.items.all()[:2])
    b1, b2 = seat(table, "B1"), seat(table, "B2")
    # First item: four organizations; the member (Great Lakes) sees its own, three others' are restricted.
    for organization, level, importance in [
        (table.private_org, 2, 5),
        (table.public_org, 1, 4),
        (b1, 3, 5),
        (b2, 2, 4),
    ]:
        answer(assessment, organization, first, level, importance)
    # Second item: one other organization's AMBER answer only.
    answer(assessment, table.public_org, second, 4, 3)
    profile = needs_profile(viewer=viewer_for(table.member), assessment=assessment)
    needs = {n.item.pk: n for n in profile.items}
    need = needs[first.pk]
    # importance 4.5, level 2.0, all four below the importance they give it: 100 x 0.9 x 0.75 x 1.0
    assert (need.importance, need.level, need.with_need, need.organizations) == (4.5, 2.0, 4, 4)
    assert need.score == 67.5 and need.poete == [("training", 4)]
    # Each sector's level is its own figure: public rests on one restricted answer, private on two beside the
    # member's own: both leave those out.
    assert (need.public_level, need.private_level) == (None, 2.0)
    assert needs[second.pk].organizations == 0 and needs[second.pk].score is None
    assert [n.item.pk for n in profile.ranked] == [first.pk]
    # The private level rests on the member's own AMBER answer alone, which a plain member could not be shown.
    assert profile.marking == TLP.AMBER and profile.answering_organizations == 4
    cochair = needs_profile(viewer=viewer_for(table.cochair), assessment=assessment)
    second_need = next(n for n in cochair.items if n.item.pk == second.pk)
    assert second_need.organizations == 1 and cochair.marking == TLP.AMBER  # rests on one AMBER answer


def test_answers_are_saved_all_or_none(table, assessment):
    item = assessment.items.first()
    with pytest.raises(ValidationError):
        services.needs_answers_save(
            actor=table.admin, assessment=assessment, organization=table.private_org,
            answers=[{"item": item.pk, "level": 2, "importance": 3}, {"item": item.pk + 999, "level": 1, "importance": 1}],
        )  # fmt: skip
    assert not NeedsAnswer.objects.exists()


def test_cochairs_place_a_need_with_a_reason_and_the_score_orders_the_rest(table):
    import datetime

    import pytest
    from django.core.exceptions import PermissionDenied, ValidationError

    from commonground.core.testing import api_client, page_client
    from commonground.core.viewer import viewer_for
    from commonground.sustainability import services
    from commonground.sustainability.priorities import needs_profile

    assessment = services.needs_assessment_open(actor=table.cochair, community=table.community, title="N",
                                          closes_on=datetime.date(2099, 1, 1))  # fmt: skip
    first, second, third = list(assessment.items.all()[:3])
    answers = [{"item": first.pk, "level": 1, "importance": 5}, {"item": second.pk, "level": 3, "importance": 4},
               {"item": third.pk, "level": 4, "importance": 3}]  # fmt: skip
    services.needs_answers_save(actor=table.cochair, assessment=assessment, organization=table.public_org,
                          answers=answers, tlp="TLP:GREEN")  # fmt: skip

    def order():
        return [
            n.item.pk for n in needs_profile(viewer=viewer_for(table.member), assessment=assessment).ranked
        ]

    assert order() == [first.pk, second.pk, third.pk]
    with pytest.raises(ValidationError) as error:
        services.need_rank_set(actor=table.cochair, item=third, rank=1)
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.need_rank_set(actor=table.admin, item=third, rank=1, reason="We say so")
    services.need_rank_set(actor=table.cochair, item=third, rank=1, reason="The water plant depends on it")
    assert order() == [third.pk, first.pk, second.pk]
    page = page_client(table.member).get(f"/needs/{assessment.pk}/").content.decode()
    assert "Placed here by the co-chairs: The water plant depends on it" in page and "Reorder" not in page
    # through the API: give it back to its score
    response = api_client(table.cochair).post(f"/api/v1/needs-assessments/{assessment.pk}/rank/",
                                              {"item": third.pk, "rank": None}, format="json")  # fmt: skip
    assert response.status_code == 200 and [n["item"] for n in response.json()["ranked"]] == [
        first.pk,
        second.pk,
        third.pk,
    ]
    bad = api_client(table.cochair).post(f"/api/v1/needs-assessments/{assessment.pk}/rank/",
                                         {"item": 0, "rank": 2, "reason": "x"}, format="json")  # fmt: skip
    assert bad.status_code == 400 and "item" in bad.json()
    # and through the page
    response = page_client(table.cochair).post(
        f"/needs-items/{second.pk}/rank/", {"rank": "1", "reason": "Agreed at the meeting"}
    )
    assert response.status_code == 302 and order()[0] == second.pk


@pytest.mark.usefixtures("touch_at_once")
def test_a_kept_profile_is_each_reader_s_own_and_a_new_answer_is_in_the_next_reading(table, assessment):
    """Kept between writes (`communities.snapshots.kept_for_reader`): the co-chair, who sees every AMBER answer,
    reads first; the member is given a profile of their own; an answer saved after is in both next readings."""
    first = assessment.items.first()
    b1 = seat(table, "B1")
    answer(assessment, table.public_org, first, 1, 5)
    answer(assessment, b1, first, 2, 4)
    cochair = needs_profile(viewer=viewer_for(table.cochair), assessment=assessment)
    assert cochair.items[0].organizations == 2 and cochair.marking == TLP.AMBER
    member = needs_profile(viewer=viewer_for(table.member), assessment=assessment)
    # Two other organizations' restricted answers: left out for the member.
    assert member.items[0].organizations == 0 and member.marking == TLP.GREEN
    answer(assessment, table.private_org, first, 3, 5)  # the member's own organization
    assert needs_profile(viewer=viewer_for(table.cochair), assessment=assessment).items[0].organizations == 3
    again = needs_profile(viewer=viewer_for(table.member), assessment=assessment)
    # Its own answer now, beside the two others' still left out.
    assert again.items[0].organizations == 1 and again.marking == TLP.AMBER
