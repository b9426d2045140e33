"""Helpers every app's services share: who is acting, permission checks, validated saves."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from . import audit
from .tlp import TLP, is_lower
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


def owns_marking(viewer: Viewer, instance: models.Model, marking: str) -> bool:
    """Return whether the viewer owns a record's marking: the owning organization's admins, for TLP:RED the
    named people, and always the person the record is about (their own contact details)."""
    opts = type(instance).TLPOptions
    about = getattr(opts, "person", None)
    if about and viewer.person_id is not None:
        about_id = instance.pk if about == "self" else getattr(instance, f"{about}_id")
        if about_id == viewer.person_id:
            return True
    if marking == TLP.RED:
        people = getattr(opts, "recipient_people", None)
        return bool(
            people
            and viewer.person_id is not None
            and getattr(instance, people).filter(pk=viewer.person_id).exists()
        )
    owner_id = getattr(instance, f"{getattr(opts, 'owner', 'organization')}_id")
    return viewer.is_organization_admin and viewer.organization_id == owner_id


def check_marked_write(*, actor, instance: models.Model, data: Mapping[str, Any], denied: str) -> None:
    """Refuse a change that lowers a marking the actor does not own, or that touches content its marking
    hides from the actor (DESIGN: only a marking's owner lowers it; co-chairs and facilitators may raise it).

    A record the actor may not see at all is refused with `denied`, the service's answer to a writer
    without permission, so that the refusal does not reveal it. The system (`actor=None`) may lower.
    """
    if actor is None or instance.pk is None:
        return
    viewer = viewer_of(actor)
    model = type(instance)
    opts = model.TLPOptions
    field = getattr(opts, "marking", "tlp")
    widening = tuple(getattr(opts, "widening_fields", ()))
    stored = (
        model._default_manager.filter(pk=instance.pk)
        .annotate_marking_visible(viewer, name="marking_visible_to_writer")
        .values(field, "marking_visible_to_writer", *widening)
        .first()
    )
    if stored is None:
        return
    before, visible = stored[field], stored["marking_visible_to_writer"]
    marked = getattr(opts, "marked_fields", None)
    if not visible and not marked:
        raise PermissionDenied(denied)
    touched = sorted(set(data) & set(marked or ()))
    if not visible and touched:
        message = _("These details are %(marking)s: only those it names may see or change them.") % {
            "marking": before
        }
        raise ValidationError({name: message for name in touched})
    # A field that widens the audience when set (a resource disclosed to an incident's leadership) is a
    # lowering of the marking too.
    widened = [name for name in widening if data.get(name) and not stored[name]]
    if widened and not owns_marking(viewer, instance, before):
        message = _("Only the owner of the marking (the owning organization's admins) may widen who sees it.")
        raise ValidationError({name: message for name in widened})
    after = data.get(field)
    if after in TLP.values and is_lower(before, after) and not owns_marking(viewer, instance, before):
        raise ValidationError(
            {
                field: _(
                    "Only the owner of a marking may lower it from %(marking)s: the owning organization's "
                    "admins, or for TLP:RED the people it names. You may raise it."
                )
                % {"marking": before}
            }
        )


def check_no_hidden_collision(*, actor, queryset: models.QuerySet, denied: str) -> None:
    """Refuse, as for a writer without permission, a write that collides with a record the actor may not see.

    Saying that the record already exists would reveal it (DESIGN: no "already exists" oracle).
    """
    if actor is not None and queryset.exclude(queryset.tlp_q(viewer_of(actor))).exists():
        raise PermissionDenied(denied)


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


def _owner_scope(instance: models.Model) -> dict[str, int]:
    """The audit scope of a record an organization owns in a community."""
    return {"community_id": instance.community_id, "organization_id": instance.organization_id}


def owned_record_create(*, actor, instance: models.Model, **write) -> models.Model:
    """Record a new marked record an organization owns in a community (`instance`, unsaved, names both),
    audited and still visible to its writer.

    `write` is what `owned_record_update` takes besides: `data`, `fields`, `allowed`, `denied`, `related`,
    `prepare`, `check`. A record whose organization must sit at the table checks that first in `check`
    (`communities.services.check_seated`).
    """
    if instance.pk is not None:
        raise ValueError(f"owned_record_create writes a new {type(instance).__name__}, not a stored one")
    return owned_record_update(actor=actor, instance=instance, **write)


def owned_record_delete(*, actor, instance: models.Model, allowed: bool, denied: str) -> None:
    """Remove a record an organization owns in a community, audited."""
    require(allowed, denied)
    audit.record_delete(actor, instance, **_owner_scope(instance))
    instance.delete()


def owned_record_update(
    *,
    actor,
    instance: models.Model,
    data: Mapping[str, Any],
    fields: Iterable[str],
    allowed: bool,
    denied: str,
    related: Iterable[str] = (),
    prepare: Callable[[dict[str, Any]], None] | None = None,
    check: Callable[[dict[str, Any]], None] | None = None,
) -> models.Model:
    """Change a marked record an organization owns in a community (or, unsaved, record it: see
    `owned_record_create`), audited and still visible to its writer.

    `prepare(data)` completes the record's own fields before they are set (coordinates from an address);
    `check(related)` tidies and judges the changed record, with its many-to-many values, before it is saved.
    """
    require(allowed, denied)
    check_marked_write(actor=actor, instance=instance, data=data, denied=denied)
    before = audit.snapshot(instance) if instance.pk is not None else None
    data, relations = split_related(data, related)
    if prepare is not None:
        prepare(data)
    assign(instance, data, fields)
    if check is not None:
        check(relations)
    validated_save(instance)
    extra = set_related(instance, relations)
    if before is None:
        audit.record_create(actor, instance, **_owner_scope(instance))
    else:
        audit.record_update(actor, instance, before, extra_changes=extra, **_owner_scope(instance))
    check_still_visible(actor, type(instance), instance.pk)
    return instance
