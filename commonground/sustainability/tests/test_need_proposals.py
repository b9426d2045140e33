import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commonground.sustainability.models import NeedProposal, NeedsItem
from commonground.sustainability.services import needs as services


def _propose(table, actor=None, source="incident:1:request:7"):
    return services.need_propose(
        actor=actor or table.cochair, community=table.community, mission_area="response",
        capability="Mass care services", text="How well can we shelter 400 people?", source=source,
    )  # fmt: skip


def test_the_next_assessment_asks_each_proposal_once(table):
    proposal = _propose(table)
    assert _propose(table).pk == proposal.pk  # the same gap twice is one proposal
    closes = timezone.localdate() + datetime.timedelta(days=30)
    first = services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="A", closes_on=closes
    )
    proposal.refresh_from_db()
    assert proposal.item.assessment == first
    assert proposal.item.text == "How well can we shelter 400 people?"
    assert proposal.item.position == max(first.items.values_list("position", flat=True))
    second = services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="B", closes_on=closes
    )
    assert not second.items.filter(text=proposal.text).exists()


def test_only_cochairs_put_needs_forward_and_a_refusal_writes_nothing(table):
    for actor in (table.admin, table.member, table.outsider):
        with pytest.raises(PermissionDenied):
            _propose(table, actor=actor)
    assert not NeedProposal.objects.exists()
    assert not NeedsItem.objects.filter(text__startswith="How well can we shelter").exists()
