"""Register and change organizations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.accounts.leaving import Leaving, LeavingReason
from commonground.accounts.services import access_end
from commonground.communities.services import membership_create
from commonground.core import audit
from commonground.core.services import assign, require, validated_save, viewer_of

from ..geo import fill_coordinates
from ..models import Organization
from ..permissions import can_add_organization, can_edit_organization

ORGANIZATION_FIELDS = (
    "name",
    "sector",
    "category",
    "level",
    "ci_sector",
    "employees",
    "address",
    "city",
    "state",
    "zip_code",
    "latitude",
    "longitude",
    "website",
)


def _check_unique_name(organization: Organization, community_ids) -> None:
    clash = (
        Organization.objects.filter(
            memberships__community_id__in=community_ids, name__iexact=organization.name.strip()
        )
        .exclude(pk=organization.pk)
        .exists()
    )
    if clash:
        raise ValidationError({"name": _("An organization of this name is already at the table.")})


def organization_register(*, actor, community, data: dict[str, Any], invitation=None) -> Organization:
    """Register an organization and seat it at the table; the caller has checked who may (inside its transaction)."""
    data = dict(data)
    fill_coordinates(data)
    organization = Organization()
    assign(organization, data, ORGANIZATION_FIELDS)
    organization.name = " ".join(organization.name.split())
    _check_unique_name(organization, [community.pk])
    validated_save(organization)
    audit.record_create(actor, organization, community_id=community.pk, organization_id=organization.pk)
    membership_create(actor=actor, community=community, organization=organization, invitation=invitation)
    return organization


@transaction.atomic
def organization_create(*, actor, community, **data: Any) -> Organization:
    """Register an organization and seat it at the community's table; co-chairs and facilitators."""
    require(can_add_organization(viewer_of(actor), community), _("Only co-chairs register organizations."))
    return organization_register(actor=actor, community=community, data=data)


@transaction.atomic
def organization_update(*, actor, organization: Organization, data: dict[str, Any]) -> Organization:
    """Change an organization's profile; its admin, a co-chair of its community, or a facilitator."""
    require(
        can_edit_organization(viewer_of(actor), organization),
        _("Only the organization's admin or a co-chair may edit it."),
    )
    before = audit.snapshot(organization)
    data = dict(data)
    if "zip_code" in data and data.get("zip_code") != organization.zip_code and "latitude" not in data:
        data.update(latitude=None, longitude=None)
    fill_coordinates(data)
    assign(organization, data, ORGANIZATION_FIELDS)
    organization.name = " ".join(organization.name.split())
    _check_unique_name(organization, organization.memberships.values("community_id"))
    validated_save(organization)
    audit.record_update(actor, organization, before, organization_id=organization.pk)
    return organization


@transaction.atomic
def organization_delete(*, actor, organization: Organization) -> None:
    """Remove an organization, its people and its seats everywhere; facilitators only. Its people's access
    ends at once, and its tasks are handed back ownerless (audited, as `membership_remove` does for one table)."""
    require(viewer_of(actor).is_facilitator, _("Only facilitators delete organizations."))
    leaving = Leaving(reason=LeavingReason.ORGANIZATION_LEFT, organization_id=organization.pk)
    access_end(actor=actor, leaving=leaving)
    audit.record_delete(actor, organization, organization_id=organization.pk)
    organization.delete()
