"""Enrolment: facilities, nominations, the nominee's orientation, approval and refusal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.services import require, validated_save, viewer_of

from .. import permissions
from ..choices import (
    PERSONAL_KINDS,
    CredentialKind,
    NominationStatus,
)
from ..models import (
    Credential,
    Facility,
    Nomination,
)
from .issuing import credential_issue
from .program import _scope, program_of

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
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


def nomination_errors(*, program, community, organization, kind: str, facilities: list, person=None,
                      label: str = "", virtual_days: int | None = None) -> dict[str, str]:  # fmt: skip
    """Return the field errors of a nomination against the program (the page, the API and the import alike)."""
    errors = {}
    if kind not in program.kinds:
        errors["kind"] = _("The program does not offer this kind of credential.")
    if not facilities:
        errors["facilities"] = _("Choose the facility.")
    elif any(f.community_id != community.pk or f.organization_id != organization.pk for f in facilities):
        errors["facilities"] = _("Choose facilities the organization enrolled in this program.")
    elif (
        kind in (CredentialKind.STANDARD, CredentialKind.FLEX, CredentialKind.PLACARD) and len(facilities) > 1
    ):
        errors["facilities"] = _("This kind of credential is for one facility.")
    if kind in PERSONAL_KINDS and person is None:
        errors["person"] = _("Name the employee.")
    elif person is not None and person.organization_id != organization.pk:
        errors["person"] = _("The nominee must be a person of the nominating organization.")
    if kind == CredentialKind.PLACARD and not label:
        errors["label"] = _("Describe the vehicle: plate, make and colour.")
    if virtual_days is not None and virtual_days > program.virtual_days:
        errors["virtual_days"] = _("A virtual credential is valid for at most %(days)s days.") % {
            "days": program.virtual_days
        }
    return errors


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
    facilities = list(facilities or ())
    errors = nomination_errors(
        program=program, community=community, organization=organization, kind=kind, facilities=facilities,
        person=person, label=label, virtual_days=virtual_days,
    )  # fmt: skip
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


def nomination_withdraw(*, actor, nomination: Nomination) -> Nomination:
    """Withdraw a nomination before it is decided (the nominating organization's admins, or the nominee)."""
    require(
        permissions.can_withdraw(viewer_of(actor), nomination),
        _("Only the nominee and their organization's admins withdraw a nomination."),
    )
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != NominationStatus.SUBMITTED:
            raise ValidationError(_("This nomination is decided already; it can no longer be withdrawn."))
        before = audit.snapshot(nomination)
        nomination.status = NominationStatus.WITHDRAWN
        validated_save(nomination)
        audit.record_update(
            actor, nomination, before, **_scope(nomination.community, nomination.organization)
        )
    return nomination
