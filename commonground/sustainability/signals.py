"""Keep the needs totals through writes that do not go through the answer services (`totals`).

A save of an answer outside them (a fixture, the shell) reads its pair's answers before and after; a delete,
alone or in a cascade, holds its pair until the last answer of the pair is gone; an organization's new sector
moves its answers between sectors; a seat taken or given up at a table adds or takes away the organization's
answers there. An organization being deleted takes its answers with it, pair by pair (its seats' deletion
is left alone); a community, an assessment or an item being deleted takes its totals with it (an item's
answering organizations are counted again).
"""

from __future__ import annotations

import threading

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from . import totals
from .models import NeedsAnswer, NeedsAssessment, NeedsItem


class _Gone(threading.local):
    def __init__(self):
        self.organizations: set[int] = set()
        self.communities: set[int] = set()
        self.items: set[int] = set()
        self.assessments: set[int] = set()


_gone = _Gone()


def _pair(answer) -> tuple[int, int]:
    assessment = (
        answer.item.assessment_id
        if NeedsAnswer.item.is_cached(answer)
        else NeedsItem.objects.filter(pk=answer.item_id).values_list("assessment_id", flat=True).first()
    )
    return assessment, answer.organization_id


def _pair_q(pair) -> Q:
    return Q(item__assessment_id=pair[0], organization_id=pair[1])


def answer_before_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pair = _pair(instance)
    if not totals.pending(pair):
        instance._totals_before = (pair, totals.begin(_pair_q(pair)))


def answer_after_save(sender, instance, raw=False, **kwargs):
    stashed = instance.__dict__.pop("_totals_before", None)
    if stashed is not None:
        totals.finish(_pair_q(stashed[0]), stashed[1])


def answer_before_delete(sender, instance, **kwargs):
    if instance.community_id in _gone.communities or instance.item_id in _gone.items:
        return  # their totals go with the community or the item; an item's answering organizations are read again
    pair = _pair(instance)
    if pair[0] not in _gone.assessments:
        totals.hold([pair])
        instance._totals_pair = pair


def answer_after_delete(sender, instance, **kwargs):
    pair = instance.__dict__.pop("_totals_pair", None)
    if pair is not None:
        totals.release([pair])


def organization_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or (update_fields is not None and "sector" not in update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("sector", flat=True).first()
    if old is not None and old != instance.sector:
        instance._totals_sector = totals.begin(Q(organization_id=instance.pk))


def organization_after_save(sender, instance, raw=False, **kwargs):
    before = instance.__dict__.pop("_totals_sector", None)
    if before is not None:
        totals.finish(Q(organization_id=instance.pk), before)


def organization_before_delete(sender, instance, **kwargs):
    _gone.organizations.add(instance.pk)


def organization_after_delete(sender, instance, **kwargs):
    _gone.organizations.discard(instance.pk)


def community_before_delete(sender, instance, **kwargs):
    _gone.communities.add(instance.pk)


def community_after_delete(sender, instance, **kwargs):
    _gone.communities.discard(instance.pk)


def item_before_delete(sender, instance, **kwargs):
    _gone.items.add(instance.pk)


def item_after_delete(sender, instance, **kwargs):
    _gone.items.discard(instance.pk)
    if instance.assessment_id not in _gone.assessments:
        totals.count_answering(instance.assessment_id)


def assessment_before_delete(sender, instance, **kwargs):
    _gone.assessments.add(instance.pk)


def assessment_after_delete(sender, instance, **kwargs):
    _gone.assessments.discard(instance.pk)


def seat_changed(sender, instance, raw=False, created=None, **kwargs):
    if raw or created is False:
        return
    if instance.organization_id in _gone.organizations or instance.community_id in _gone.communities:
        return
    condition = Q(organization_id=instance.organization_id, community_id=instance.community_id)
    totals.adjust(condition, +1 if created else -1)


def connect() -> None:
    from commonground.communities.models import Community, Membership
    from commonground.registry.models import Organization

    uid = "sustainability.totals"
    pre_save.connect(answer_before_save, sender=NeedsAnswer, dispatch_uid=uid)
    post_save.connect(answer_after_save, sender=NeedsAnswer, dispatch_uid=uid)
    pre_delete.connect(answer_before_delete, sender=NeedsAnswer, dispatch_uid=uid)
    post_delete.connect(answer_after_delete, sender=NeedsAnswer, dispatch_uid=uid)
    pre_save.connect(organization_before_save, sender=Organization, dispatch_uid=uid)
    post_save.connect(organization_after_save, sender=Organization, dispatch_uid=uid)
    pre_delete.connect(organization_before_delete, sender=Organization, dispatch_uid=uid)
    post_delete.connect(organization_after_delete, sender=Organization, dispatch_uid=uid)
    pre_delete.connect(community_before_delete, sender=Community, dispatch_uid=uid)
    post_delete.connect(community_after_delete, sender=Community, dispatch_uid=uid)
    pre_delete.connect(item_before_delete, sender=NeedsItem, dispatch_uid=uid)
    post_delete.connect(item_after_delete, sender=NeedsItem, dispatch_uid=uid)
    pre_delete.connect(assessment_before_delete, sender=NeedsAssessment, dispatch_uid=uid)
    post_delete.connect(assessment_after_delete, sender=NeedsAssessment, dispatch_uid=uid)
    post_save.connect(seat_changed, sender=Membership, dispatch_uid=uid)
    post_delete.connect(seat_changed, sender=Membership, dispatch_uid=uid)
