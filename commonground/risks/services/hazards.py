"""Add, change and remove the hazards a community adds to the catalogue; every write audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.services import assign, require, validated_save, viewer_of

from ..models import Hazard
from ..permissions import can_add_hazard, can_edit_hazard

HAZARD_FIELDS = ("name", "kind", "description", "lifelines")


def _code_for(hazard: Hazard) -> str:
    code = slugify(hazard.name).replace("-", "_")[:60]
    if not code:
        raise ValidationError({"name": _("Give the hazard a name with letters or digits.")})
    clash = Hazard.objects.for_community(hazard.community).filter(code=code).exclude(pk=hazard.pk)
    if clash.exists():
        raise ValidationError({"name": _("The community already has a hazard of this name.")})
    return code


@transaction.atomic
def hazard_create(*, actor, community, **data: Any) -> Hazard:
    """Add a hazard the community faces that the catalogue lacks; co-chairs and facilitators."""
    require(can_add_hazard(viewer_of(actor), community), _("Only co-chairs add hazards."))
    hazard = Hazard(community=community)
    assign(hazard, data, HAZARD_FIELDS)
    hazard.name = " ".join((hazard.name or "").split())
    hazard.code = _code_for(hazard)
    validated_save(hazard)
    audit.record_create(actor, hazard, community_id=community.pk)
    return hazard


@transaction.atomic
def hazard_update(*, actor, hazard: Hazard, data: dict[str, Any]) -> Hazard:
    """Change one of the community's own hazards (the catalogue stays as it is)."""
    require(
        can_edit_hazard(viewer_of(actor), hazard), _("Only co-chairs change their community's own hazards.")
    )
    before = audit.snapshot(hazard)
    assign(hazard, data, HAZARD_FIELDS)
    hazard.name = " ".join((hazard.name or "").split())
    hazard.code = _code_for(hazard)
    validated_save(hazard)
    audit.record_update(actor, hazard, before, community_id=hazard.community_id)
    return hazard


@transaction.atomic
def hazard_delete(*, actor, hazard: Hazard) -> None:
    require(
        can_edit_hazard(viewer_of(actor), hazard), _("Only co-chairs remove their community's own hazards.")
    )
    audit.record_delete(actor, hazard, community_id=hazard.community_id)
    hazard.delete()
