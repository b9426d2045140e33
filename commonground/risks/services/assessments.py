"""Record and change an organization's critical functions and its self-assessment of hazards; every write audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.communities.services import check_seated
from commonground.core.services import (
    check_no_hidden_collision,
    owned_record_create,
    owned_record_delete,
    owned_record_update,
    viewer_of,
)
from commonground.core.timezones import community_today
from commonground.registry.models import Organization

from ..models import CriticalFunction, Hazard, HazardAssessment
from ..permissions import can_assess, can_edit_assessment

FUNCTION_FIELDS = ("name", "description", "serves_community", "max_downtime_hours", "tlp")
ASSESSMENT_FIELDS = (
    "likelihood", "impact_life_safety", "impact_operations", "impact_property", "vulnerability",
    "preparedness", "notes", "assessed_on", "tlp",
)  # fmt: skip
ASSESSMENT_RELATED = ("critical_functions", "recipient_organizations")
DENIED = _("Only the organization's admin, a co-chair or a facilitator keeps its assessment.")


def _check_unique_name(actor, function: CriticalFunction) -> None:
    same = CriticalFunction.objects.filter(
        community_id=function.community_id, organization_id=function.organization_id, name=function.name
    ).exclude(pk=function.pk)
    check_no_hidden_collision(actor=actor, queryset=same, denied=DENIED)
    if same.exists():
        raise ValidationError({"name": _("The organization already lists a critical function of this name.")})


def _tidy_name(actor, function: CriticalFunction) -> None:
    function.name = " ".join((function.name or "").split())
    _check_unique_name(actor, function)


@transaction.atomic
def function_create(*, actor, community, organization: Organization, **data: Any) -> CriticalFunction:
    """List something the organization must keep running."""
    function = CriticalFunction(community=community, organization=organization)

    def check(related: dict[str, Any]) -> None:
        check_seated(community, organization)
        _tidy_name(actor, function)

    return owned_record_create(
        actor=actor, instance=function, data=data, fields=FUNCTION_FIELDS, related=("recipient_organizations",),
        allowed=can_assess(viewer_of(actor), community, organization), denied=DENIED, check=check,
    )  # fmt: skip


@transaction.atomic
def function_update(*, actor, function: CriticalFunction, data: dict[str, Any]) -> CriticalFunction:
    return owned_record_update(
        actor=actor, instance=function, data=data, fields=FUNCTION_FIELDS, related=("recipient_organizations",),
        allowed=can_edit_assessment(viewer_of(actor), function), denied=DENIED,
        check=lambda related: _tidy_name(actor, function),
    )  # fmt: skip


@transaction.atomic
def function_delete(*, actor, function: CriticalFunction) -> None:
    owned_record_delete(
        actor=actor, instance=function, allowed=can_edit_assessment(viewer_of(actor), function), denied=DENIED
    )


def _check_assessment(actor, assessment: HazardAssessment, functions) -> None:
    errors = {}
    community = assessment.community
    if not Hazard.objects.for_community(community).filter(pk=assessment.hazard_id).exists():
        errors["hazard"] = _("Choose a hazard from this community's list.")
    else:
        same = HazardAssessment.objects.filter(
            community_id=assessment.community_id,
            organization_id=assessment.organization_id,
            hazard_id=assessment.hazard_id,
        ).exclude(pk=assessment.pk)
        check_no_hidden_collision(actor=actor, queryset=same, denied=DENIED)
        if same.exists():
            errors["hazard"] = _("The organization has already assessed this hazard: change that assessment.")
    foreign = [f for f in functions if f.organization_id != assessment.organization_id]
    if foreign:
        errors["critical_functions"] = _("%(name)s is not one of %(organization)s's critical functions.") % {
            "name": foreign[0],
            "organization": assessment.organization,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def hazard_assessment_create(
    *, actor, community, organization: Organization, hazard: Hazard, **data: Any
) -> HazardAssessment:
    """Record how an organization judges one hazard: likelihood, impacts, vulnerability, preparedness."""
    assessment = HazardAssessment(
        community=community, organization=organization, hazard=hazard, assessed_on=community_today(community)
    )

    def check(related: dict[str, Any]) -> None:
        check_seated(community, organization)
        _check_assessment(actor, assessment, list(related.get("critical_functions", ())))

    return owned_record_create(
        actor=actor, instance=assessment, data=data, fields=ASSESSMENT_FIELDS, related=ASSESSMENT_RELATED,
        allowed=can_assess(viewer_of(actor), community, organization), denied=DENIED, check=check,
    )  # fmt: skip


@transaction.atomic
def hazard_assessment_update(
    *, actor, assessment: HazardAssessment, data: dict[str, Any]
) -> HazardAssessment:
    """Change an assessment (the hazard and the organization stay; assess another hazard instead)."""
    return owned_record_update(
        actor=actor, instance=assessment, data=data, fields=ASSESSMENT_FIELDS,
        related=ASSESSMENT_RELATED, allowed=can_edit_assessment(viewer_of(actor), assessment), denied=DENIED,
        check=lambda related: _check_assessment(actor, assessment, list(related.get("critical_functions", ()))),
    )  # fmt: skip


@transaction.atomic
def hazard_assessment_delete(*, actor, assessment: HazardAssessment) -> None:
    owned_record_delete(
        actor=actor,
        instance=assessment,
        allowed=can_edit_assessment(viewer_of(actor), assessment),
        denied=DENIED,
    )
