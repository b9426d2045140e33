"""Writes of the credential program. Every write checks its permission, validates, and is audited.

Each state change has one writer: `credential_issue` is called only by `nomination_approve` (the second
approval issues), `credential_revoke` by the revoke page and API and by `credential_issue` (superseding).
"""

from __future__ import annotations

import datetime
import secrets
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.services import assign, require, validated_save, viewer_of
from commonground.incidents.choices import PUBLIC_SAFETY_CATEGORIES
from commonground.incidents.geometry import contains, polygon_errors

from . import permissions, signing
from .choices import (
    KIND_CODES,
    PERSONAL_KINDS,
    CheckResult,
    CredentialKind,
    CredentialStatus,
    NominationStatus,
)
from .models import (
    Activation,
    Credential,
    CredentialCheck,
    Facility,
    Nomination,
    Program,
    RestrictedArea,
    SigningKey,
)

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PROGRAM_FIELDS = ("safety_organization", "kinds", "standard_days", "virtual_days", "orientation")
# The United States and its territories, as (south, west, north, east) boxes: a coarse, offline test.
US_BOXES = (
    (24.4, -125.0, 49.5, -66.9),  # the 48 states
    (51.2, -180.0, 71.5, -129.9),  # Alaska
    (51.2, 172.0, 53.1, 180.0),  # the Aleutians west of the antimeridian
    (18.9, -160.3, 22.3, -154.8),  # Hawaii
    (17.6, -67.3, 18.6, -64.5),  # Puerto Rico and the Virgin Islands
    (13.2, 144.6, 20.6, 146.1),  # Guam and the Northern Mariana Islands
    (-14.4, -170.9, -14.1, -169.4),  # American Samoa
)


def in_united_states(latitude: float, longitude: float) -> bool:
    return any(s <= latitude <= n and w <= longitude <= e for s, w, n, e in US_BOXES)


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


def program_of(community) -> Program | None:
    return Program.objects.filter(community=community).select_related("safety_organization").first()


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


def facility_create(*, actor, community, organization, name: str, latitude: float, longitude: float,
                    address: str = "", zip_code: str = "") -> Facility:  # fmt: skip
    """Enrol a facility of an organization at the table (its admins, or the co-chairs)."""
    require(
        permissions.can_enrol(viewer_of(actor), community, organization),
        _("Only the organization's admins and the co-chairs enrol its facilities."),
    )
    if not organization.memberships.filter(community=community).exists():
        raise ValidationError({"organization": _("This organization does not sit at this table.")})
    if latitude is None or longitude is None:
        raise ValidationError({"place": _("Give the facility's place: a ZIP code or a point on the map.")})
    if not in_united_states(latitude, longitude):
        raise ValidationError({"place": _("The facility lies outside the United States.")})
    facility = Facility(
        community=community, organization=organization, name=name, address=address, zip_code=zip_code,
        latitude=latitude, longitude=longitude,
    )  # fmt: skip
    with transaction.atomic():
        validated_save(facility)
        audit.record_create(actor, facility, **_scope(community, organization))
    return facility


# -- Nominations ----------------------------------------------------------------------------------------------


def check_photo(photo) -> None:
    """Refuse a photo that is not a JPEG, PNG or WebP image, or is larger than PHOTO_MAX_BYTES."""
    if not photo:
        return
    from PIL import Image, UnidentifiedImageError

    if photo.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "photo": _("The photo is larger than %(mb)s MB: send a smaller one.")
                % {"mb": PHOTO_MAX_BYTES // 2**20}
            }
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            {"photo": _("The photo is not an image: send a JPEG, PNG or WebP file.")}
        ) from None
    finally:
        photo.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError({"photo": _("Send the photo as a JPEG, PNG or WebP file.")})


def nomination_create(*, actor, community, organization, kind: str, facilities, reason: str, person=None,
                      label: str = "", job_role: str = "", reason_detail: str = "", photo=None,
                      virtual_days: int | None = None) -> Nomination:  # fmt: skip
    """Nominate an essential employee (or a flex card, or a vehicle's placard)."""
    viewer = viewer_of(actor)
    require(
        permissions.can_enrol(viewer, community, organization),
        _("Only the organization's admins and the co-chairs nominate its employees."),
    )
    program = program_of(community)
    if program is None:
        raise ValidationError(_("The co-chairs have not set up the credential program yet."))
    errors = {}
    if kind not in program.kinds:
        errors["kind"] = _("The program does not offer this kind of credential.")
    facilities = list(facilities or ())
    if not facilities:
        errors["facilities"] = _("Choose the facility.")
    elif any(f.community_id != community.pk or f.organization_id != organization.pk for f in facilities):
        errors["facilities"] = _("Choose facilities the organization enrolled in this program.")
    elif (
        kind in (CredentialKind.STANDARD, CredentialKind.FLEX, CredentialKind.PLACARD) and len(facilities) > 1
    ):
        errors["facilities"] = _("This kind of credential is for one facility.")
    if kind in PERSONAL_KINDS:
        if person is None:
            errors["person"] = _("Name the employee.")
        elif person.organization_id != organization.pk:
            errors["person"] = _("The nominee must be a person of the nominating organization.")
    elif person is not None and person.organization_id != organization.pk:
        errors["person"] = _("The nominee must be a person of the nominating organization.")
    if kind == CredentialKind.PLACARD and not label:
        errors["label"] = _("Describe the vehicle: plate, make and colour.")
    if virtual_days is not None and virtual_days > program.virtual_days:
        errors["virtual_days"] = _("A virtual credential is valid for at most %(days)s days.") % {
            "days": program.virtual_days
        }
    if errors:
        raise ValidationError(errors)
    check_photo(photo)
    nomination = Nomination(
        community=community, organization=organization, person=person, label=label, kind=kind,
        job_role=job_role, reason=reason, reason_detail=reason_detail, virtual_days=virtual_days,
        nominated_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    if photo:
        nomination.photo = photo
    with transaction.atomic():
        validated_save(nomination)
        nomination.facilities.set(facilities)
        audit.record_create(actor, nomination, **_scope(community, organization))
    return nomination


def nomination_acknowledge(*, actor, nomination: Nomination) -> Nomination:
    """The nominee confirms they read the program's orientation."""
    require(
        permissions.can_acknowledge(viewer_of(actor), nomination),
        _(
            "Only the nominee (or their organization's admin, for a signed paper copy) confirms the orientation."
        ),
    )
    if nomination.acknowledged_at:
        return nomination
    with transaction.atomic():
        before = audit.snapshot(nomination)
        nomination.acknowledged_at = timezone.now()
        nomination.save(update_fields=["acknowledged_at", "updated"])
        audit.record_update(
            actor, nomination, before, **_scope(nomination.community, nomination.organization)
        )
    return nomination


def nomination_approve(*, actor, nomination: Nomination) -> Credential | None:
    """Approve as a co-chair or as the public-safety organization; the second of the two approvals issues the
    credential (and returns it)."""
    community = nomination.community
    viewer = viewer_of(actor)
    program = program_of(community)
    require(
        permissions.can_approve(viewer, community, program),
        _("Only a co-chair and the program's public-safety organization approve credentials."),
    )
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != NominationStatus.SUBMITTED:
            raise ValidationError(_("This nomination is no longer waiting for approval."))
        if not nomination.acknowledged_at:
            raise ValidationError(_("The nominee has not yet confirmed the program's orientation."))
        before = audit.snapshot(nomination)
        user = actor if getattr(actor, "pk", None) else None
        if user and user.pk in (nomination.cochair_approved_by_id, nomination.safety_approved_by_id):
            raise ValidationError(_("You approved this nomination already; a second person must approve."))
        if permissions.is_cochair(viewer, community) and not nomination.cochair_approved_by_id:
            nomination.cochair_approved_by = user
            nomination.cochair_approved_at = timezone.now()
        elif permissions.is_safety_admin(viewer, community, program) and not nomination.safety_approved_by_id:
            nomination.safety_approved_by = user
            nomination.safety_approved_at = timezone.now()
        else:
            raise ValidationError(
                _("Your side has approved already; the nomination waits for the other approver.")
            )
        credential = None
        if nomination.cochair_approved_at and nomination.safety_approved_at:
            nomination.status = NominationStatus.APPROVED
        nomination.save()
        audit.record_update(actor, nomination, before, **_scope(community, nomination.organization))
        if nomination.status == NominationStatus.APPROVED:
            credential = credential_issue(actor=actor, nomination=nomination, program=program)
    return credential


def nomination_refuse(*, actor, nomination: Nomination, reason: str) -> Nomination:
    community = nomination.community
    require(
        permissions.can_approve(viewer_of(actor), community, program_of(community)),
        _("Only a co-chair and the program's public-safety organization approve credentials."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the nomination is refused.")})
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != NominationStatus.SUBMITTED:
            raise ValidationError(_("This nomination is no longer waiting for approval."))
        before = audit.snapshot(nomination)
        nomination.status = NominationStatus.REFUSED
        nomination.refusal_reason = reason
        validated_save(nomination)
        audit.record_update(actor, nomination, before, **_scope(community, nomination.organization))
    return nomination


# -- Credentials ------------------------------------------------------------------------------------------------


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
        from .notices import activation_mail

        activation_mail(activation)
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
        audit.bulk_record_created(
            actor, CredentialCheck,
            [(row.pk, str(row), {"result": row.result, "credential_id": row.credential_id}, _scope(community))
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
