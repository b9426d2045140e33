"""Writes to communities, memberships and co-chairs: permission, validation, audit, in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonground.accounts.leaving import Leaving, LeavingReason
from commonground.accounts.services import access_end
from commonground.core import audit
from commonground.core.services import assign, require, validated_save, viewer_of

from . import permissions
from .models import CoChair, Community, Membership

COMMUNITY_FIELDS = (
    "name",
    "slug",
    "kind",
    "state",
    "center_latitude",
    "center_longitude",
    "time_zone",
    "description",
    "coverage_threshold",
    "assessment_threshold",
    "members_cast_ballots",
    "two_factor_required_for_leaders",
)


@transaction.atomic
def community_create(*, actor, **data: Any) -> Community:
    """Start a new community partnership; facilitators only."""
    viewer = viewer_of(actor)
    require(permissions.can_create_community(viewer), _("Only facilitators create communities."))
    community = Community(created_by=actor)
    assign(community, data, COMMUNITY_FIELDS)
    validated_save(community)
    audit.record_create(actor, community, community_id=community.pk)
    return community


@transaction.atomic
def community_update(*, actor, community: Community, data: dict[str, Any]) -> Community:
    """Change a community's description or settings; its co-chairs and facilitators only."""
    require(
        permissions.can_manage_community(viewer_of(actor), community), _("Only co-chairs edit the community.")
    )
    before = audit.snapshot(community)
    assign(community, data, COMMUNITY_FIELDS)
    validated_save(community)
    audit.record_update(actor, community, before, community_id=community.pk)
    return community


def membership_create(*, actor, community: Community, organization, invitation=None) -> Membership:
    """Seat an organization at the table; the caller has checked who may (called inside its transaction)."""
    membership = Membership(community=community, organization=organization, invitation=invitation)
    validated_save(membership)
    audit.record_create(actor, membership, community_id=community.pk, organization_id=organization.pk)
    return membership


@transaction.atomic
def membership_add(*, actor, community: Community, organization) -> Membership:
    """Bring an existing organization (one that sits in another community) to this table."""
    require(permissions.can_manage_community(viewer_of(actor), community), _("Only co-chairs add members."))
    return membership_create(actor=actor, community=community, organization=organization)


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Take an organization from the table, and its people from the co-chairs; their access to this table
    ends at once (`accounts.services.access_end`, for this community only).

    Their sessions end (signing in again is cheap, and nothing a session kept of this table outlives it);
    their API tokens are revoked only when the organization sits at no other table, since a token reads
    through the same visibility rules as a page, from its next call, and sees nothing here any more.
    """
    community = membership.community
    require(
        permissions.can_manage_community(viewer_of(actor), community), _("Only co-chairs remove members.")
    )
    for cochair in CoChair.objects.filter(
        community=community, person__organization=membership.organization_id
    ):
        audit.record_delete(actor, cochair, community_id=community.pk)
        cochair.delete()
    audit.record_delete(
        actor, membership, community_id=community.pk, organization_id=membership.organization_id
    )
    membership.delete()
    elsewhere = Membership.objects.filter(organization_id=membership.organization_id).exists()
    leaving = Leaving(
        reason=LeavingReason.ORGANIZATION_LEFT,
        organization_id=membership.organization_id,
        community_id=community.pk,
        tokens=not elsewhere,
    )
    access_end(actor=actor, leaving=leaving)


@transaction.atomic
def cochair_add(*, actor, community: Community, person) -> CoChair:
    """Record a leader as co-chair of the community."""
    require(
        permissions.can_manage_community(viewer_of(actor), community),
        _("Only co-chairs and facilitators name co-chairs."),
    )
    return cochair_create(actor=actor, community=community, person=person)


def cochair_create(*, actor, community: Community, person) -> CoChair:
    """Name a co-chair; the caller has checked who may (called inside its transaction)."""
    cochair = CoChair(community=community, person=person)
    validated_save(cochair)
    audit.record_create(actor, cochair, community_id=community.pk, organization_id=person.organization_id)
    return cochair


@transaction.atomic
def cochair_remove(*, actor, cochair: CoChair) -> None:
    """Step a co-chair down."""
    community = cochair.community
    require(
        permissions.can_manage_community(viewer_of(actor), community),
        _("Only co-chairs and facilitators change co-chairs."),
    )
    audit.record_delete(
        actor, cochair, community_id=community.pk, organization_id=cochair.person.organization_id
    )
    cochair.delete()


def check_seated(community, organization, field: str = "organization") -> None:
    """Refuse, as a field error, a record for an organization that has no seat at the community's table."""
    from django.core.exceptions import ValidationError

    if organization is None or not organization.memberships.filter(community=community).exists():
        raise ValidationError({field: _("This organization is not at the community's table.")})
