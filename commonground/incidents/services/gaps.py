"""From an incident's gaps to the next needs assessment (step 6): one click of a co-chair per unfilled need."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.agenda.choices import MissionArea
from commonground.core.services import require, viewer_of
from commonground.resources.choices import CATEGORY_CHOICES
from commonground.sustainability.models import NeedProposal
from commonground.sustainability.permissions import can_run_assessment
from commonground.sustainability.services.needs import need_propose

from ..models import Incident
from .timeline import activity_log


def gap_question(gap: dict) -> str:
    """Word a gap as a needs-assessment question, from the vocabularies only: the request's own words may be
    marked (the incident's marking) and a needs assessment is read by the whole table."""
    category = dict(CATEGORY_CHOICES).get(gap["category"], gap["category"])
    subject = gap.get("capability") or category
    return _(
        "How well can the partnership meet a priority %(priority)s need for %(subject)s (%(category)s)? "
        "In a past incident, %(served)s of %(asked)s units asked for were not found."
    ) % {
        "priority": gap["priority"], "subject": subject, "category": category,
        "served": gap["asked"] - gap["served"], "asked": gap["asked"],
    }  # fmt: skip


@transaction.atomic
def gap_to_needs(*, actor, incident: Incident, request_id: int) -> NeedProposal:
    """Put one gap of a closed incident's after-action summary forward for the next needs assessment."""
    require(
        can_run_assessment(viewer_of(actor), incident.community),
        _("Only co-chairs put needs forward for the needs assessment."),
    )
    gaps = {gap["request_id"]: gap for gap in (incident.summary or {}).get("gaps", [])}
    if incident.is_open or request_id not in gaps:
        raise ValidationError({"request": _("Choose a gap of the closed incident's after-action summary.")})
    gap = gaps[request_id]
    proposal = need_propose(
        actor=actor, community=incident.community, mission_area=MissionArea.RESPONSE,
        capability=gap.get("capability") or "", text=gap_question(gap)[:300],
        source=f"incident:{incident.pk}:request:{request_id}",
    )  # fmt: skip
    activity_log(
        incident=incident, actor=actor,
        text=_("Gap %(ref)s put forward for the next needs assessment.") % {"ref": gap["reference"]},
    )  # fmt: skip
    return proposal
