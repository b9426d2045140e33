"""The collective-impact score, worked through: breadth across both sectors outranks intensity in one."""

import pytest

from commonground.agenda.impact import CollectiveImpact, collective_impacts
from commonground.communities.models import Membership
from commonground.registry.tests.factories import OrganizationFactory

from .factories import propose

TABLE = dict(public_members=10, private_members=10, table_categories=12)


def test_two_public_and_two_private_at_severity_2_score_12_7():
    impact = CollectiveImpact(public=2, private_side=2, categories=4, severity_total=8, **TABLE)
    # reach 0.2 x (0.25 + 0.75 x 1) x (0.75 + 0.25 x 4/12) x (0.6 + 0.4 x 2/5) = 0.2 x 1 x 0.8333 x 0.76
    assert (impact.share, impact.balance, impact.mean_severity) == (0.2, 1.0, 2.0)
    assert impact.score == 12.7 and impact.both_sectors


def test_six_private_at_severity_5_score_5_9():
    impact = CollectiveImpact(public=0, private_side=6, categories=2, severity_total=30, **TABLE)
    # reach 0.3 x (0.25 + 0) x (0.75 + 0.25 x 2/12) x 1.0
    assert impact.balance == 0.0 and impact.score == 5.9 and not impact.both_sectors


def test_one_public_and_five_private_at_severity_3_score_10_2():
    impact = CollectiveImpact(public=1, private_side=5, categories=3, severity_total=18, **TABLE)
    # balance 2 x 0.1 / 0.6 = 1/3; reach 0.3 x 0.5 x 0.8125 x 0.84
    assert round(impact.balance, 3) == 0.333 and impact.score == 10.2


def test_no_endorsement_scores_nothing():
    assert CollectiveImpact(**TABLE).score == 0.0


@pytest.mark.parametrize("public, private, expected", [(1, 1, 1.0), (2, 1, 2 / 3), (1, 0, 0.0)])
def test_balance_is_one_when_both_sides_are_equally_touched(public, private, expected):
    impact = CollectiveImpact(
        public=public, private_side=private, severity_total=3 * (public + private), **TABLE
    )
    assert impact.balance == pytest.approx(expected)


def test_the_counts_come_from_the_endorsements_of_organizations_at_the_table(table):
    issue = propose(table)  # Great Lakes Logistics (private, large employer) at severity 3
    from commonground.agenda import services

    services.endorsement_save(actor=table.other_admin, issue=issue, organization=table.public_org, severity=5)
    departed = OrganizationFactory(sector="public", category="police", level="local")
    membership = Membership.objects.create(community=table.community, organization=departed)
    services.endorsement_save(actor=None, issue=issue, organization=departed, severity=5)
    membership.delete()  # it left the table: its endorsement no longer counts
    impact = collective_impacts([issue])[issue.pk]
    assert (impact.public, impact.private_side, impact.public_members, impact.private_members) == (1, 1, 1, 1)
    assert (impact.categories, impact.table_categories, impact.severity_total) == (2, 2, 8)
    # reach 1.0 x 1.0 x 1.0 x (0.6 + 0.4 x 0.8)
    assert impact.score == 92.0


def test_the_impacts_of_any_issues_are_two_statements(table, django_assert_num_queries):
    issues = [propose(table), propose(table, title="Water for the shelters when the mains fail")]
    with django_assert_num_queries(2):
        impacts = collective_impacts(issues)
    assert impacts[issues[0].pk].endorsing == 1 and impacts[issues[1].pk].endorsing == 1
