"""The credential program's set-up: its rules, its signing keys, its restricted areas."""

from __future__ import annotations

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.kept_rows import kept_rows
from commonground.core.services import assign, require, validated_save, viewer_of
from commonground.incidents.choices import PUBLIC_SAFETY_CATEGORIES
from commonground.incidents.geometry import contains, polygon_errors

from .. import permissions, signing
from ..choices import (
    KIND_CODES,
)
from ..models import (
    Program,
    RestrictedArea,
    SigningKey,
)

PROGRAM_FIELDS = ("safety_organization", "kinds", "standard_days", "virtual_days", "orientation")


def _scope(community, organization=None) -> dict:
    return {"community_id": community.pk, "organization_id": getattr(organization, "pk", None)}


def _check_kinds(kinds, field: str = "kinds") -> list[str]:
    if not isinstance(kinds, list | tuple) or not kinds or any(k not in KIND_CODES for k in kinds):
        raise ValidationError({field: _("Choose one or more kinds of credential.")})
    return [k for k in KIND_CODES if k in kinds]


# -- The program -------------------------------------------------------------------------------------------


def program_save(*, actor, community, data: dict) -> Program:
    """Set up or change the community's credential program (co-chairs)."""
    viewer = viewer_of(actor)
    require(
        permissions.can_manage_program(viewer, community), _("Only co-chairs set up the credential program.")
    )
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(community=community).first()
        before = audit.snapshot(program) if program else None
        program = program or Program(community=community)
        assign(program, data, PROGRAM_FIELDS)
        program.kinds = _check_kinds(program.kinds)
        safety = program.safety_organization if program.safety_organization_id else None
        if safety is None or not safety.memberships.filter(community=community).exists():
            raise ValidationError(
                {"safety_organization": _("Choose a public-safety organization at this table.")}
            )
        if safety.category not in PUBLIC_SAFETY_CATEGORIES:
            raise ValidationError(
                {"safety_organization": _("The approving organization must be a public-safety organization.")}
            )
        validated_save(program)
        audit.record_save(actor, program, before, **_scope(community))
        if not SigningKey.objects.filter(community=community, withdrawn_at__isnull=True).exists():
            _key_create(actor=actor, community=community)
    return program


def program_update(*, actor, program: Program, data: dict) -> Program:
    """Change a program through `program_save` (the API's update names the program, not the community)."""
    return program_save(actor=actor, community=program.community, data=data)


def program_of(community) -> Program | None:
    """The community's program, by SQL kept for its key (`core.kept_rows`): every credentials page reads it."""
    found = kept_rows(
        ("program of", community.pk),
        lambda: Program.objects.filter(community_id=community.pk).select_related("safety_organization")[:1],
        Program.objects.db,
    )
    return found[0] if found else None


# -- Keys --------------------------------------------------------------------------------------------------


def _key_create(*, actor, community) -> SigningKey:
    private = signing.new_private_key()
    kid = signing.kid_of(private.public_key())
    key = SigningKey.objects.create(
        community=community,
        kid=kid,
        public_jwk=signing.public_jwk(private.public_key(), kid),
        private_key=signing.encrypt_private_key(private),
    )
    audit.record_create(actor, key, **_scope(community))
    return key


def key_rotate(*, actor, community) -> SigningKey:
    """Make a new signing key: it signs new cards, the older keys stay published until withdrawn."""
    require(permissions.can_manage_program(viewer_of(actor), community), _("Only co-chairs rotate the keys."))
    with transaction.atomic():
        return _key_create(actor=actor, community=community)


def key_withdraw(*, actor, key: SigningKey) -> SigningKey:
    """Stop publishing a key: every card it signed stops being valid (checkpoints learn it at their next
    refresh). The current key is withdrawn only once a newer one exists."""
    community = key.community
    require(permissions.can_manage_program(viewer_of(actor), community), _("Only co-chairs withdraw keys."))
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().get(pk=key.pk)
        if key.withdrawn_at:
            raise ValidationError(_("This key is already withdrawn."))
        if key == signing_key_current(community):
            raise ValidationError(_("Make a new key before withdrawing the one that signs new cards."))
        before = audit.snapshot(key)
        key.withdrawn_at = timezone.now()
        key.save(update_fields=["withdrawn_at"])
        audit.record_update(actor, key, before, **_scope(community))
    return key


def signing_key_current(community) -> SigningKey | None:
    return (
        SigningKey.objects.filter(community=community, withdrawn_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


# -- Restricted areas and facilities ------------------------------------------------------------------------


def area_create(*, actor, community, name: str, polygon=None, incident=None) -> RestrictedArea:
    """A restricted area: drawn on the map, or an incident's area (co-chairs)."""
    require(
        permissions.can_manage_program(viewer_of(actor), community),
        _("Only co-chairs define restricted areas."),
    )
    if incident is not None and incident.community_id != community.pk:
        raise ValidationError({"incident": _("Choose an incident of this community.")})
    if polygon is None and incident is None:
        raise ValidationError({"polygon": _("Draw the area on the map, or take an incident's area.")})
    if polygon is not None and (error := polygon_errors(polygon)):
        raise ValidationError({"polygon": error})
    area = RestrictedArea(community=community, name=name, polygon=polygon, incident=incident)
    with transaction.atomic():
        validated_save(area)
        audit.record_create(actor, area, **_scope(community))
    return area


def area_contains(area: RestrictedArea, latitude: float, longitude: float) -> bool:
    if area.polygon:
        return contains(SimpleNamespace(polygon=area.polygon), latitude, longitude)
    if area.incident is not None:
        return contains(area.incident, latitude, longitude)
    return False
