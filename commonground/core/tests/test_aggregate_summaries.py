"""The database's sums (`core.aggregates.summaries`) decide each figure as reading by organization does.

Random answers and hazard assessments of many organizations, sectors, markings and named recipients, read by
every role: every group the sums decide has the same figures (values, markings passed on, organizations left
out) as `_by_organization`, the reading one organization's rows at a time that the rule was written for; the
groups they leave undecided are read that way. A statement kept for one reader is never another's.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django.db.models import F

from commonground.communities.models import Membership
from commonground.core import aggregates
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
from commonground.risks.models import Hazard, HazardAssessment
from commonground.risks.profile import hazard_measures
from commonground.risks.tests.factories import AssessmentFactory
from commonground.sustainability import services as needs_services
from commonground.sustainability.models import NeedsAnswer
from commonground.sustainability.priorities import needs_measures

SECTORS = ["public", "private", "nonprofit"]
MARKINGS = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER, TLP.AMBER_STRICT, TLP.RED]


def seat_organizations(table, rng, count: int = 14) -> list:
    organizations = [table.public_org, table.private_org]
    for number in range(count):
        organization = OrganizationFactory(name=f"Org {number}", sector=rng.choice(SECTORS))
        Membership.objects.create(community=table.community, organization=organization)
        organizations.append(organization)
    return organizations


def name_recipients(rng, records, organizations) -> None:
    """Name one organization (now and then the reader's own) on some restricted records."""
    for record in records:
        if record.tlp in (TLP.AMBER, TLP.AMBER_STRICT) and rng.random() < 0.2:
            record.recipient_organizations.add(rng.choice(organizations))


@pytest.fixture(params=[17, 3, 2024])
def answered(table, request):
    rng = random.Random(request.param)
    assessment = needs_services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    items = list(assessment.items.all())[:12]
    organizations = seat_organizations(table, rng)
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
    name_recipients(rng, NeedsAnswer.objects.bulk_create(rows), organizations)
    return assessment


@pytest.fixture(params=[11, 5])
def assessed(table, request):
    rng = random.Random(request.param)
    organizations = seat_organizations(table, rng, count=12)
    hazards = list(Hazard.objects.filter(community=None).order_by("code")[:8])
    records = []
    for position, hazard in enumerate(hazards):
        for organization in rng.sample(organizations, min(len(organizations), position + rng.randint(0, 3))):
            records.append(
                AssessmentFactory(
                    community=table.community,
                    organization=organization,
                    hazard=hazard,
                    likelihood=rng.randint(1, 5),
                    impact_operations=rng.randint(1, 5),
                    tlp=rng.choice(MARKINGS),
                )  # fmt: skip
            )
    name_recipients(rng, records, organizations)
    return table


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


@pytest.mark.parametrize("role", ["cochair", "facilitator", "admin", "member", "outsider"])
def test_the_sums_decide_a_total_beside_its_sector_parts_as_reading_by_organization_does(assessed, role):
    viewer = viewer_for(assessed.user(role))
    assessments = HazardAssessment.objects.in_community(assessed.community)
    measures = hazard_measures()
    exact = _by_organization(assessments, viewer, measures, group_by="hazard_id")
    decided, undecided = summaries(assessments, viewer, measures, group_by="hazard_id")
    assert decided
    for group, figures in decided.items():
        assert figures == exact[group], group
    assert disclosed_figures(assessments, viewer, measures, group_by="hazard_id") == exact
    kept = disclosed_figures(assessments, viewer, measures, group_by="hazard_id", key=("test", role))
    assert kept == exact


def test_a_statement_kept_for_one_reader_is_never_anothers(table, answered):
    aggregates.forget_kept()
    answers = NeedsAnswer.objects.submitted().filter(item__assessment=answered)
    measures = needs_measures()
    by_role = {}
    for role in ["cochair", "member", "admin", "outsider", "facilitator", "cochair"]:
        viewer = viewer_for(table.user(role))
        kept = disclosed_figures(lambda: answers, viewer, measures, group_by="item_id", key=("same key",))
        assert kept == _by_organization(answers, viewer, measures, group_by="item_id"), role
        by_role[role] = kept
    assert by_role["cochair"] != by_role["outsider"]  # the data tell the readers apart


@pytest.mark.parametrize("role", ["cochair", "admin", "member", "outsider"])
def test_any_disclosed_is_whether_the_organizations_counted_are_more_than_none(table, answered, role):
    viewer = viewer_for(table.user(role))
    for item in answered.items.all()[:6]:
        answers = NeedsAnswer.objects.filter(item=item)
        counted = disclosed_figures(answers, viewer, {"n": count_organizations()})[None]["n"].value
        assert any_disclosed(answers, viewer) == (counted > 0)


def test_an_organization_is_one_row_of_a_group_only_where_a_unique_constraint_says_so():
    from commonground.core.aggregates.sums import _one_record_per_organization
    from commonground.resources.models import Resource

    assert _one_record_per_organization(NeedsAnswer, "organization", "item_id")  # one answer an item
    assert not _one_record_per_organization(HazardAssessment, "organization", "hazard_id")  # one a table
    assert not _one_record_per_organization(NeedsAnswer, "organization", None)  # many items each
    assert not _one_record_per_organization(Resource, "organization", "category")
    assert not _one_record_per_organization(NeedsAnswer, "organization", "item__mission_area")
