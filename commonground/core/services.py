"""Helpers every app's services share: who is acting, permission checks, validated saves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .viewer import viewer_for
from .visibility import Viewer

# The actor of commands run on the server itself (imports, seeding): trusted like a facilitator.
SYSTEM = Viewer(user_id=0, is_facilitator=True)


def viewer_of(actor) -> Viewer:
    """Return the viewer for an acting user; `None` is the system itself."""
    return SYSTEM if actor is None else viewer_for(actor)


def require(allowed: bool, message: str) -> None:
    """Refuse the action with a PermissionDenied unless it is allowed."""
    if not allowed:
        raise PermissionDenied(message)


def assign(instance: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Set the allowed fields of a record from data; other keys are an error, not silently ignored."""
    allowed = set(allowed)
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"{type(instance).__name__} has no editable field(s): {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(instance, name, value)


def validated_save(instance: models.Model, **kwargs) -> models.Model:
    """Check every rule of the model (fields, clean, constraints), then save."""
    instance.full_clean()
    instance.save(**kwargs)
    return instance


def check_still_visible(actor, model, pk: int, field: str = "tlp") -> None:
    """Refuse a write that would hide the record from the person making it (DESIGN: re-check after write).

    The system itself (`actor=None`: imports and seeding on the server) is no person and is not checked.
    """
    if actor is not None and not model.objects.visible_to(viewer_of(actor)).filter(pk=pk).exists():
        raise ValidationError(
            {field: _("With this marking you could no longer see it: name yourself among the recipients.")}
        )


def split_related(data: Mapping[str, Any], names: Iterable[str]) -> tuple[dict, dict]:
    """Split a record's data into its own fields and its many-to-many relations (set after saving)."""
    data = dict(data)
    related = {name: data.pop(name) for name in names if name in data}
    return data, related


def set_related(instance: models.Model, related: Mapping[str, Any]) -> dict[str, list]:
    """Set many-to-many relations; return {name: [ids before, ids after]} for those that changed (for the audit)."""
    changes = {}
    for name, values in related.items():
        manager = getattr(instance, name)
        before = sorted(manager.values_list("pk", flat=True))
        manager.set(values)
        after = sorted(v.pk if hasattr(v, "pk") else int(v) for v in values)
        if before != after:
            changes[name] = [before, after]
    return changes
