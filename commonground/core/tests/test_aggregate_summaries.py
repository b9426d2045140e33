"""The database's sums (`core.aggregates.summaries`) decide each figure as reading by organization does.

Random answers of many organizations, sectors and markings, read by every role: every group the sums decide
has the same figures as `_by_organization`, the reading one organization's rows at a time that the rule was
written for; the groups they leave undecided are read that way.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django.db.models import F

from commonground.communities.models import Membership
from commonground.core.aggregates import (
    _by_organization,
    any_disclosed,
    count_organizations,
    disclosed_figures,
    summaries,
)
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry.tests.factories import OrganizationFactory
from commonground.sustainability import services as needs_services
from commonground.sustainability.models import NeedsAnswer
from commonground.sustainability.priorities import needs_measures

SECTORS = ["public", "private", "nonprofit"]
MARKINGS = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER, TLP.AMBER_STRICT, TLP.RED]


@pytest.fixture
def answered(table):
    rng = random.Random(17)
    assessment = needs_services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    items = list(assessment.items.all())[:12]
    organizations = [table.public_org, table.private_org]
    for number in range(14):
        organization = OrganizationFactory(name=f"Org {number}", sector=rng.choice(SECTORS))
        Membership.objects.create(community=table.community, organization=organization)
        organizations.append(organization)
    rows = []
    for position, item in enumerate(items):
        # from none to all of the organizations answer an item, so that some figures rest on one or two
        for organization in rng.sample(organizations, min(len(organizations), position + rng.randint(0, 3))):
            level, importance = rng.randint(1, 5), rng.randint(1, 5)
            rows.append(
                NeedsAnswer(
                    community=table.community,
                    organization=organization,
                    item=item,
                    level=level,
                    importance=importance,
                    poete=rng.choice(["", "training", "equipment"]),
                    tlp=rng.choice(MARKINGS),
                )  # fmt: skip
            )
    NeedsAnswer.objects.bulk_create(rows)
    return assessment


@pytest.mark.parametrize("role", ["cochair", "facilitator", "admin", "member", "outsider"])
def test_the_sums_decide_each_figure_as_reading_by_organization_does(table, answered, role):
    viewer = viewer_for(table.user(role))
    answers = NeedsAnswer.objects.submitted().filter(
        item__assessment=answered, organization__memberships__community_id=F("community_id")
    )
    measures = needs_measures()
    exact = _by_organization(answers, viewer, measures, group_by="item_id")
    decided, undecided = summaries(answers, viewer, measures, group_by="item_id")
    assert decided or undecided
    for group, figures in decided.items():
        assert figures == exact[group], group
    assert disclosed_figures(answers, viewer, measures, group_by="item_id") == exact
    whole = {"answering": measures["organizations"], "level": measures["importance"]}
    assert disclosed_figures(answers, viewer, whole) == _by_organization(answers, viewer, whole)


@pytest.mark.parametrize("role", ["cochair", "admin", "member", "outsider"])
def test_any_disclosed_is_whether_the_organizations_counted_are_more_than_none(table, answered, role):
    viewer = viewer_for(table.user(role))
    for item in answered.items.all()[:6]:
        answers = NeedsAnswer.objects.filter(item=item)
        counted = disclosed_figures(answers, viewer, {"n": count_organizations()})[None]["n"].value
        assert any_disclosed(answers, viewer) == (counted > 0)
