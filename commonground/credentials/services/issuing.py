"""Credentials issued and revoked, the program activated, and the checkpoints' logs."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.services import require, validated_save, viewer_of

from .. import permissions, signing
from ..choices import (
    CheckResult,
    CredentialStatus,
)
from ..models import (
    Activation,
    Credential,
    CredentialCheck,
    Nomination,
    Program,
    RestrictedArea,
    SigningKey,
)
from .program import _check_kinds, _key_create, _scope, program_of, signing_key_current


def new_public_id() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def credential_issue(*, actor, nomination: Nomination, program: Program) -> Credential:
    """Issue the credential of an approved nomination, signed by the community's current key; the holder's
    earlier active credential is superseded (and so revoked). Called only by `nomination_approve`."""
    community = nomination.community
    key = signing_key_current(community)
    if key is None:
        key = _key_create(actor=actor, community=community)
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    rid = key.next_rid
    SigningKey.objects.filter(pk=key.pk).update(next_rid=F("next_rid") + 1)
    facilities = list(nomination.facilities.order_by("pk"))
    now = timezone.now().replace(microsecond=0)
    days = nomination.virtual_days or program.standard_days
    credential = Credential(
        community=community, nomination=nomination, organization=nomination.organization,
        person=nomination.person, public_id=new_public_id(), key=key, rid=rid, kind=nomination.kind,
        holder_name=nomination.holder_name, organization_name=nomination.organization.name,
        facility_name=", ".join(f.name for f in facilities)[:200], facility_ids=[f.pk for f in facilities],
        is_virtual=nomination.virtual_days is not None, valid_from=now,
        valid_until=now + datetime.timedelta(days=days),
    )  # fmt: skip
    credential.code = signing.sign_claims(
        signing.decrypt_private_key(key.private_key), key.kid, claims_of(credential)
    )
    if nomination.person_id:
        for old in Credential.objects.filter(
            community=community, person_id=nomination.person_id, status=CredentialStatus.ACTIVE
        ):
            _revoke(actor, old, CredentialStatus.SUPERSEDED, _("Superseded by a new credential."))
    validated_save(credential)
    audit.record_create(actor, credential, **_scope(community, nomination.organization))
    return credential


def claims_of(credential: Credential) -> dict:
    return {
        "iss": credential.community.slug,
        "id": credential.public_id,
        "rid": credential.rid,
        "n": credential.holder_name,
        "o": credential.organization_name,
        "f": credential.facility_name,
        "fac": list(credential.facility_ids),
        "k": credential.kind,
        "nbf": int(credential.valid_from.timestamp()),
        "exp": int(credential.valid_until.timestamp()),
    }


def _revoke(actor, credential: Credential, status: str, reason: str) -> None:
    before = audit.snapshot(credential)
    credential.status = status
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason[:300]
    credential.save(update_fields=["status", "revoked_at", "revocation_reason"])
    SigningKey.objects.filter(pk=credential.key_id).update(revocation_counter=F("revocation_counter") + 1)
    audit.record_update(actor, credential, before, **_scope(credential.community, credential.organization))


def credential_revoke(*, actor, credential: Credential, reason: str) -> Credential:
    """Revoke a credential: online at once, at checkpoints at their next refresh."""
    require(
        permissions.can_revoke(viewer_of(actor), credential, program_of(credential.community)),
        _("Only the approvers and the holder's organization admins revoke a credential."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the credential is revoked.")})
    with transaction.atomic():
        credential = Credential.objects.select_for_update().get(pk=credential.pk)
        if credential.status != CredentialStatus.ACTIVE:
            raise ValidationError(_("This credential is no longer active."))
        _revoke(actor, credential, CredentialStatus.REVOKED, reason)
    return credential


# -- Activations ----------------------------------------------------------------------------------------------


def activation_create(
    *, actor, community, name: str, area: RestrictedArea, kinds, starts_at, ends_at
) -> Activation:
    """Activate the program for an area and a window; holders and their organization admins are mailed."""
    program = program_of(community)
    require(
        permissions.can_activate(viewer_of(actor), community, program),
        _("Only the co-chairs and the public-safety organization's admins activate the program."),
    )
    errors = {}
    if area is None or area.community_id != community.pk:
        errors["area"] = _("Choose a restricted area of this community.")
    try:
        kinds = _check_kinds(kinds)
    except ValidationError as error:
        errors.update(error.message_dict)
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The window ends after it starts.")
    if ends_at and ends_at <= timezone.now():
        errors["ends_at"] = _("The window is already over.")
    if errors:
        raise ValidationError(errors)
    activation = Activation(
        community=community, name=name, area=area, kinds=kinds, starts_at=starts_at, ends_at=ends_at,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    with transaction.atomic():
        validated_save(activation)
        audit.record_create(actor, activation, **_scope(community))
        from ..notices import activation_mail

        activation_mail(activation)
    return activation


def activation_end(*, actor, activation: Activation) -> Activation:
    """End an activation now: the online check stops admitting at once, checkpoints at their next refresh
    (the bundle's version moves with the activation's change)."""
    community = activation.community
    require(
        permissions.can_activate(viewer_of(actor), community, program_of(community)),
        _("Only the co-chairs and the public-safety organization's admins end an activation."),
    )
    with transaction.atomic():
        activation = Activation.objects.select_for_update().get(pk=activation.pk)
        now = timezone.now()
        if activation.ends_at <= now:
            raise ValidationError(_("This activation is already over."))
        before = audit.snapshot(activation)
        # One that has not started yet never will: its window closes before it opens.
        activation.starts_at = min(activation.starts_at, now)
        activation.ends_at = now
        activation.save(update_fields=["starts_at", "ends_at", "updated"])
        audit.record_update(actor, activation, before, **_scope(community))
    return activation


# -- Checks ------------------------------------------------------------------------------------------------------


def checks_upload(*, actor, community, checks: list[dict]) -> tuple[int, int]:
    """Keep a checkpoint's log (idempotent on each check's client id); return (stored, duplicates)."""
    require(
        permissions.can_upload_checks(viewer_of(actor), community),
        _("Only members of this community's table upload checks."),
    )
    ids = [check["client_id"] for check in checks]
    with transaction.atomic():
        known = set(CredentialCheck.objects.filter(client_id__in=ids).values_list("client_id", flat=True))
        rows, seen = [], set(known)
        for check in checks:
            if check["client_id"] in seen:
                continue
            seen.add(check["client_id"])
            rows.append(
                CredentialCheck(
                    community=community,
                    client_id=check["client_id"],
                    checked_at=check["checked_at"],
                    credential_id=check.get("credential_id") or "",
                    result=check["result"],
                    activation_id_seen=check.get("activation"),
                    note=check.get("note", ""),
                    uploaded_by=actor if getattr(actor, "pk", None) else None,
                )  # fmt: skip
            )
        CredentialCheck.objects.bulk_create(rows)
        # A denial's note is how a checkpoint reports it: the co-chairs read it in the log (theirs alone).
        audit.bulk_record_created(
            actor, CredentialCheck,
            [(row.pk, str(row), {"result": row.result, "credential_id": row.credential_id, "note": row.note},
              _scope(community))
             for row in CredentialCheck.objects.filter(client_id__in=[r.client_id for r in rows])],
        )  # fmt: skip
    return len(rows), len(checks) - len(rows)


def check_record(*, actor, community, result: str, credential_id: str = "", activation_id=None) -> None:
    """Keep an online check (the verification API's) in the same log."""
    import uuid

    CredentialCheck.objects.create(
        community=community, client_id=uuid.uuid4(), checked_at=timezone.now(), credential_id=credential_id[:16],
        result=result if result in CheckResult.values else CheckResult.UNREADABLE, activation_id_seen=activation_id,
        uploaded_by=actor if getattr(actor, "pk", None) else None, note="online",
    )  # fmt: skip
