from commonground.communities.models import CoChair
from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, community_progress
from commonground.communities.tests.factories import CommunityFactory, MembershipFactory
from commonground.registry.choices import recommended_categories
from commonground.registry.selectors import coverage_report
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory


def step(community, number):
    return community_progress(community)[number - 1]


def test_step_one_needs_a_public_and_a_private_cochair(table):
    state = step(table.community, 1)
    assert state.status == IN_PROGRESS
    assert any("private" in m for m in state.missing)
    CoChair.objects.create(community=table.community, person=table.admin.person)
    assert step(table.community, 1).status == DONE


def test_a_nonprofit_cochair_counts_for_the_private_side(table):
    charity = OrganizationFactory(sector="nonprofit", category="red_cross_voluntary")
    MembershipFactory(community=table.community, organization=charity)
    CoChair.objects.create(community=table.community, person=PersonFactory(organization=charity))
    assert step(table.community, 1).is_done


def test_two_public_cochairs_do_not_share_leadership(table):
    CoChair.objects.create(community=table.community, person=table.other_admin.person)
    assert step(table.community, 1).status == IN_PROGRESS


def test_an_empty_community_has_not_started(db):
    community = CommunityFactory()
    assert [s.status for s in community_progress(community)] == [NOT_STARTED] * 6


def test_steps_three_to_six_show_not_started_until_their_tools_exist(table):
    assert [s.status for s in community_progress(table.community)[2:]] == [NOT_STARTED] * 4


def test_coverage_counts_categories_and_business_sizes(table):
    coverage = coverage_report(table.community)
    assert coverage.present_count == 2
    assert coverage.percent == round(100 * 2 / len(recommended_categories()))
    assert "police" in [c.code for c in coverage.missing]
    assert (
        dict(coverage.business_bands)[
            next(label for label, _n in coverage.business_bands if "1,000" in str(label))
        ]
        == 1
    )
    assert coverage.largest_employer == table.private_org
    assert coverage.by_sector == {"public": 1, "private": 1, "nonprofit": 0}


def test_step_two_is_done_when_coverage_reaches_the_threshold(table):
    table.community.coverage_threshold = 50
    table.community.save()
    assert step(table.community, 2).status == IN_PROGRESS
    for category in recommended_categories()[: len(recommended_categories()) // 2]:
        MembershipFactory(
            community=table.community, organization=OrganizationFactory(category=category["code"])
        )
    assert step(table.community, 2).status == DONE
