"""Open a needs assessment from the template, word its items, and record organizations' answers; all audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.communities.services import check_seated
from commonground.core import audit
from commonground.core.services import (
    assign,
    check_marked_write,
    check_still_visible,
    require,
    validated_save,
    viewer_of,
)
from commonground.core.timezones import community_today
from commonground.core.tlp import TLP
from commonground.registry.models import Organization

from ..choices import needs_template
from ..models import NeedProposal, NeedsAnswer, NeedsAssessment, NeedsItem
from ..permissions import can_answer, can_run_assessment
from ..selectors import area_progress

ITEM_FIELDS = ("mission_area", "capability", "text", "position")
ANSWER_FIELDS = ("level", "importance", "poete", "comment")
ANSWER_DENIED = gettext_lazy("Only the organization's admin or a co-chair answers for it.")


@transaction.atomic
def needs_assessment_open(
    *, actor, community, title: str, closes_on: datetime.date, opens_on: datetime.date | None = None
) -> NeedsAssessment:
    """Open a needs assessment with the template's items (the core capabilities by mission area); co-chairs."""
    require(can_run_assessment(viewer_of(actor), community), _("Only co-chairs open a needs assessment."))
    assessment = NeedsAssessment(community=community, title=" ".join((title or "").split()), closes_on=closes_on,
                                 created_by=actor if getattr(actor, "pk", None) else None)  # fmt: skip
    # It opens today on the community's own clock unless told otherwise (the server's day is tomorrow in UTC
    # every evening in the Americas, and the answer pages judge "open" on the community's clock).
    assessment.opens_on = opens_on or community_today(community)
    validated_save(assessment)
    NeedsItem.objects.bulk_create(
        NeedsItem(assessment=assessment, mission_area=row["mission_area"], capability=row["capability"],
                  text=row["text"], position=(n + 1) * 10)
        for n, row in enumerate(needs_template())
    )  # fmt: skip
    position = len(needs_template()) * 10
    for proposal in NeedProposal.objects.filter(community=community, item__isnull=True).select_for_update():
        position += 10
        proposal.item = NeedsItem.objects.create(
            assessment=assessment, mission_area=proposal.mission_area, capability=proposal.capability,
            text=proposal.text, position=position,
        )  # fmt: skip
        proposal.save(update_fields=["item", "updated"])
    audit.record_create(actor, assessment, community_id=community.pk)
    return assessment


@transaction.atomic
def need_propose(
    *, actor, community, mission_area: str, text: str, capability: str = "", source: str = ""
) -> NeedProposal:
    """Put a need forward for the next needs assessment (a gap an incident showed); co-chairs. Proposing the
    same source twice gives the proposal already made."""
    require(can_run_assessment(viewer_of(actor), community), _("Only co-chairs put needs forward."))
    if source:
        existing = NeedProposal.objects.filter(community=community, source=source).first()
        if existing is not None:
            return existing
    proposal = NeedProposal(
        community=community, mission_area=mission_area, capability=capability, text=text, source=source,
        proposed_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    validated_save(proposal)
    audit.record_create(actor, proposal, community_id=community.pk)
    return proposal


@transaction.atomic
def needs_assessment_update(*, actor, assessment: NeedsAssessment, data: dict[str, Any]) -> NeedsAssessment:
    """Change the title or the dates (closing it early, or keeping it open longer)."""
    require(can_run_assessment(viewer_of(actor), assessment.community), _("Only co-chairs change it."))
    before = audit.snapshot(assessment)
    assign(assessment, data, ("title", "opens_on", "closes_on"))
    validated_save(assessment)
    audit.record_update(actor, assessment, before, community_id=assessment.community_id)
    return assessment


@transaction.atomic
def item_add(*, actor, assessment: NeedsAssessment, **data: Any) -> NeedsItem:
    """Add a question the community wants asked; co-chairs."""
    require(can_run_assessment(viewer_of(actor), assessment.community), _("Only co-chairs word the items."))
    item = NeedsItem(assessment=assessment)
    assign(item, data, ITEM_FIELDS)
    if not item.position:
        last = assessment.items.order_by("-position").values_list("position", flat=True).first() or 0
        item.position = last + 10
    validated_save(item)
    audit.record_create(actor, item, community_id=assessment.community_id)
    return item


@transaction.atomic
def item_update(*, actor, item: NeedsItem, data: dict[str, Any]) -> NeedsItem:
    """Reword or move an item; co-chairs."""
    require(
        can_run_assessment(viewer_of(actor), item.assessment.community), _("Only co-chairs word the items.")
    )
    before = audit.snapshot(item)
    assign(item, data, ITEM_FIELDS)
    validated_save(item)
    audit.record_update(actor, item, before, community_id=item.assessment.community_id)
    return item


@transaction.atomic
def item_delete(*, actor, item: NeedsItem) -> None:
    """Drop an item, and the answers given to it; co-chairs."""
    require(
        can_run_assessment(viewer_of(actor), item.assessment.community), _("Only co-chairs word the items.")
    )
    audit.record_delete(actor, item, community_id=item.assessment.community_id)
    item.delete()


def _check_answering(viewer, assessment: NeedsAssessment, organization: Organization) -> None:
    require(can_answer(viewer, assessment.community, organization), ANSWER_DENIED)
    if not assessment.is_open:
        raise ValidationError(_("The assessment is open from %(start)s to %(end)s.") % {
            "start": assessment.opens_on, "end": assessment.closes_on})  # fmt: skip
    check_seated(assessment.community, organization)


@transaction.atomic
def needs_answers_save(
    *, actor, assessment: NeedsAssessment, organization: Organization, answers: list[dict[str, Any]],
    tlp: str = TLP.AMBER, recipient_organizations=(), draft: bool = False,
) -> list[NeedsAnswer]:  # fmt: skip
    """Record an organization's answers (all or none): each a dict with `item` and the answer's fields.

    A `draft` (one mission area saved on the way through) counts nowhere and shows to nobody but the
    organization and those who may answer for it, until `needs_answers_submit`; saving a submitted answer
    as a draft takes it back until the organization submits again.
    """
    viewer = viewer_of(actor)
    community = assessment.community
    _check_answering(viewer, assessment, organization)
    items = {item.pk: item for item in assessment.items.all()}
    existing = {
        a.item_id: a
        for a in NeedsAnswer.objects.filter(item__assessment=assessment, organization=organization)
    }
    saved, errors = [], {}
    for values in answers:
        values = dict(values)
        item = values.pop("item", None)
        item_id = getattr(item, "pk", item)
        if item_id not in items:
            errors.setdefault("answers", []).append(
                _("Item %(id)s is not in this assessment.") % {"id": item_id}
            )
            continue
        answer = existing.get(item_id) or NeedsAnswer(
            community=community, organization=organization, item=items[item_id]
        )
        check_marked_write(actor=actor, instance=answer, data={**values, "tlp": tlp}, denied=ANSWER_DENIED)
        before = audit.snapshot(answer) if answer.pk else None
        assign(answer, values, ANSWER_FIELDS)
        answer.comment = answer.comment or ""
        answer.poete = answer.poete or ""
        answer.tlp, answer.answered_by_id, answer.draft = tlp, viewer.person_id, draft
        try:
            validated_save(answer)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"{items[item_id].text} ({field})"] = messages
            continue
        named = sorted(answer.recipient_organizations.values_list("pk", flat=True)) if before else []
        answer.recipient_organizations.set(recipient_organizations)
        scope = {"community_id": community.pk, "organization_id": organization.pk}
        if before is None:
            audit.record_create(actor, answer, **scope)
        else:
            # Whom it names decides who sees it: a change of its recipients alone is a change too.
            now = sorted({getattr(named_now, "pk", named_now) for named_now in recipient_organizations})
            extra = {"recipient_organizations": [named, now]} if named != now else None
            audit.record_update(actor, answer, before, extra_changes=extra, **scope)
        saved.append(answer)
    if errors:
        raise ValidationError(errors)
    if not saved:
        raise ValidationError({"answers": _("Answer at least one item.")})
    check_still_visible(actor, NeedsAnswer, saved[0].pk)
    return saved


@transaction.atomic
def needs_answers_submit(
    *, actor, assessment: NeedsAssessment, organization: Organization
) -> list[NeedsAnswer]:
    """Submit an organization's answers, its drafts with them, once every mission area has an answer: from
    then on they count in the profile and show to their marking's audience. With an area unanswered it is
    refused, each such area named (keyed by its code), and nothing changes."""
    viewer = viewer_of(actor)
    _check_answering(viewer, assessment, organization)
    # Only the answers the actor may see: the areas left and the drafts submitted say nothing of the others.
    answers = list(
        NeedsAnswer.objects.visible_to(viewer)
        .select_for_update(of=("self",))
        .filter(item__assessment=assessment, organization=organization)
    )
    missing = {
        area.mission_area: _("No answer yet: answer at least one of its items.")
        for area in area_progress(assessment, answers)
        if not area.done
    }
    if missing:
        raise ValidationError(missing)
    for answer in answers:
        if not answer.draft:
            continue
        check_marked_write(actor=actor, instance=answer, data={"draft": False}, denied=ANSWER_DENIED)
        before = audit.snapshot(answer)
        answer.draft = False
        validated_save(answer)
        audit.record_update(
            actor, answer, before, community_id=assessment.community_id, organization_id=organization.pk
        )
    return answers


@transaction.atomic
def need_rank_set(*, actor, item: NeedsItem, rank: int | None, reason: str = "") -> NeedsItem:
    """Place a need on the prioritized list (1 is first) and record why, or give it back to its score; co-chairs."""
    require(
        can_run_assessment(viewer_of(actor), item.assessment.community),
        _("Only co-chairs reorder the needs."),
    )
    reason = " ".join((reason or "").split())
    if rank is not None and (not isinstance(rank, int) or not 1 <= rank <= 500):
        raise ValidationError({"rank": _("Give a place from 1 (first) to 500.")})
    if rank is not None and not reason:
        raise ValidationError({"reason": _("Say why the co-chairs place this need there.")})
    before = audit.snapshot(item)
    item.agreed_rank, item.rank_reason = rank, reason if rank is not None else ""
    validated_save(item)
    audit.record_update(actor, item, before, community_id=item.assessment.community_id)
    return item
