"""Helpers every app's services share: who is acting, permission checks, validated saves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

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
