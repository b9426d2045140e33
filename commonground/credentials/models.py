"""The business re-entry credential program: its set-up, facilities, nominations, credentials, signing keys,
activations and the checks made at checkpoints.

None of these records carries a TLP marking: who reads them is decided here (`visible_to`), by role. A
credential's face (name, organization, facility, kind, validity) is TLP:CLEAR by design (it is printed on a
card shown at a perimeter); a nomination's reason and photo are read only by the nominating organization's
admins, the nominee, the approvers and the facilitators.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.registry.models import LATITUDE, LONGITUDE

from .choices import CheckResult, CredentialKind, CredentialStatus, CriticalReason, NominationStatus


def approver_q(viewer, prefix: str = "") -> Q:
    """The records of the communities where the viewer approves: co-chairs, and admins of the program's
    public-safety organization."""
    q = Q(**{f"{prefix}community_id__in": sorted(viewer.cochair_community_ids)})
    if viewer.is_organization_admin and viewer.organization_id:
        q |= Q(
            **{
                f"{prefix}community__credential_program__safety_organization_id": viewer.organization_id,
                f"{prefix}community_id__in": sorted(viewer.community_ids),
            }
        )
    return q


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Every member of the community's table reads it (facilitators: all)."""
        if viewer.is_facilitator:
            return self.all()
        return self.filter(community_id__in=sorted(viewer.community_ids))


class Program(TimeStampedModel):
    """A community's credential program, set up by its co-chairs."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="credential_program",
        verbose_name=_("community"),
    )  # fmt: skip
    safety_organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("approving public-safety organization"),
        help_text=_("Its admins approve each credential, together with a co-chair."),
    )  # fmt: skip
    kinds = models.JSONField(_("kinds offered"), default=list)
    standard_days = models.PositiveIntegerField(
        _("validity of a card (days)"),
        default=730,
        validators=[MinValueValidator(1), MaxValueValidator(1830)],
    )
    virtual_days = models.PositiveIntegerField(
        _("longest validity of a virtual credential (days)"), default=365,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )  # fmt: skip
    orientation = models.TextField(
        _("orientation"), max_length=10000,
        help_text=_("What every nominee reads and confirms before approval: the rules at a checkpoint."),
    )  # fmt: skip

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("credential program")
        verbose_name_plural = _("credential programs")

    def __str__(self) -> str:
        return str(_("Credential program of %(community)s") % {"community": self.community})

    def get_absolute_url(self) -> str:
        return reverse("credentials:program", args=[self.community.slug])


class RestrictedArea(TimeStampedModel):
    """An area officials may close to all but credentialed staff: drawn on the map, or an incident's area."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="restricted_areas",
        verbose_name=_("community"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    polygon = models.JSONField(
        _("area polygon"), null=True, blank=True,
        help_text=_("A GeoJSON Polygon: a closed ring of [longitude, latitude] points."),
    )  # fmt: skip
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("incident"), help_text=_("Take the incident's area instead of drawing one."),
    )  # fmt: skip

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("restricted area")
        verbose_name_plural = _("restricted areas")

    def __str__(self) -> str:
        return self.name


class Facility(TimeStampedModel):
    """A site of a member organization whose staff may need to reach it in a restricted area."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="credential_facilities",
        verbose_name=_("community"),
    )  # fmt: skip
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="credential_facilities",
        verbose_name=_("organization"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "name", "id"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(fields=["community", "organization", "name"], name="facility_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class NominationQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The nominating organization's admins, the nominee, the approvers and the facilitators."""
        if viewer.is_facilitator:
            return self.all()
        if not viewer.is_authenticated:
            return self.none()
        q = approver_q(viewer)
        if viewer.person_id:
            q |= Q(person_id=viewer.person_id, community_id__in=sorted(viewer.community_ids))
        if viewer.is_organization_admin and viewer.organization_id:
            q |= Q(organization_id=viewer.organization_id, community_id__in=sorted(viewer.community_ids))
        return self.filter(q)


def photo_path(instance, filename: str) -> str:
    return f"credentials/photos/{instance.community_id}/{timezone.now():%Y%m}/{filename}"


class Nomination(TimeStampedModel):
    """An organization's nomination of an essential employee (or a flex card, or a vehicle's placard)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="credential_nominations",
        verbose_name=_("community"),
    )  # fmt: skip
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="credential_nominations",
        verbose_name=_("organization"),
    )  # fmt: skip
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="credential_nominations",
        verbose_name=_("nominee"), help_text=_("A person of the nominating organization (not for a flex card or a placard)."),
    )  # fmt: skip
    label = models.CharField(
        _("vehicle or label"), max_length=120, blank=True,
        help_text=_("For a placard, the vehicle (plate, make); for a flex card, optional."),
    )  # fmt: skip
    kind = models.CharField(
        _("kind"), max_length=10, choices=CredentialKind.choices, default=CredentialKind.STANDARD
    )
    facilities = models.ManyToManyField(Facility, related_name="nominations", verbose_name=_("facilities"))
    job_role = models.CharField(_("role"), max_length=150, blank=True)
    reason = models.CharField(_("why critical"), max_length=20, choices=CriticalReason.choices)
    reason_detail = models.TextField(_("explanation"), blank=True, max_length=2000)
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    virtual_days = models.PositiveIntegerField(
        _("virtual: valid for (days)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave empty for a printed card valid for the program's period."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED
    )
    acknowledged_at = models.DateTimeField(
        _("orientation acknowledged"), null=True, blank=True, editable=False
    )
    cochair_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    safety_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The moments of the two approvals (the approver's login may later be removed; the approval stays).
    cochair_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    safety_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, max_length=2000)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        indexes = [models.Index(fields=["community", "status"], name="nomination_community_status")]

    def __str__(self) -> str:
        return self.holder_name

    @property
    def holder_name(self) -> str:
        if self.person_id:
            return f"{self.person.first_name} {self.person.last_name}".strip()
        return self.label or str(_("Flex card"))

    def get_absolute_url(self) -> str:
        return reverse("credentials:nomination_detail", args=[self.community.slug, self.pk])


class SigningKey(models.Model):
    """One of a community's P-256 signing keys. The newest not withdrawn signs new credentials; every key not
    withdrawn stays published (JWKS) so the cards it signed stay valid until they expire."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="credential_keys",
        verbose_name=_("community"),
    )  # fmt: skip
    kid = models.CharField(_("key id"), max_length=64, unique=True)
    public_jwk = models.JSONField(_("public key"))
    private_key = models.TextField(editable=False)  # PKCS#8 PEM, Fernet-encrypted (signing.py)
    # Kept out of the audit log, whose readers include other communities' co-chairs.
    audit_skipped_fields = ("private_key",)
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Revocation ids are handed out per key; the counter moves with each revocation under the key.
    next_rid = models.PositiveIntegerField(default=1)
    revocation_counter = models.PositiveIntegerField(default=0)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return self.kid


class CredentialQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """As its nomination: the organization's admins, the holder, the approvers, the facilitators."""
        if viewer.is_facilitator:
            return self.all()
        if not viewer.is_authenticated:
            return self.none()
        q = approver_q(viewer)
        if viewer.person_id:
            q |= Q(person_id=viewer.person_id, community_id__in=sorted(viewer.community_ids))
        if viewer.is_organization_admin and viewer.organization_id:
            q |= Q(organization_id=viewer.organization_id, community_id__in=sorted(viewer.community_ids))
        return self.filter(q)

    def active(self):
        now = timezone.now()
        return self.filter(status=CredentialStatus.ACTIVE, valid_until__gt=now)


class Credential(models.Model):
    """An approved, signed credential: what its card and wallet page carry in their QR code."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="credentials",
        verbose_name=_("community"),
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="credentials", verbose_name=_("nomination")
    )
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="credentials",
        verbose_name=_("organization"),
    )  # fmt: skip
    person = models.ForeignKey(
        "registry.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="credentials",
        verbose_name=_("holder"),
    )  # fmt: skip
    public_id = models.CharField(_("credential id"), max_length=16, unique=True)
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="credentials")
    rid = models.PositiveIntegerField(_("revocation id"))
    kind = models.CharField(_("kind"), max_length=10, choices=CredentialKind.choices)
    holder_name = models.CharField(_("holder"), max_length=200)
    organization_name = models.CharField(_("organization"), max_length=200)
    facility_name = models.CharField(_("facility"), max_length=200)
    facility_ids = models.JSONField(_("facilities"), default=list)
    is_virtual = models.BooleanField(_("virtual"), default=False)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    code = models.TextField(_("QR content"), editable=False)
    # The QR content is the card itself: kept out of the audit log, whose readers include other communities'
    # co-chairs (the organization may sit at several tables).
    audit_skipped_fields = ("code",)
    status = models.CharField(
        _("status"), max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [models.UniqueConstraint(fields=["key", "rid"], name="credential_unique_rid")]
        indexes = [models.Index(fields=["key", "status"], name="credential_key_status")]

    def __str__(self) -> str:
        return f"{self.public_id} {self.holder_name}"

    def get_absolute_url(self) -> str:
        return reverse("credentials:credential_detail", args=[self.community.slug, self.public_id])

    @property
    def is_revoked(self) -> bool:
        return self.status != CredentialStatus.ACTIVE


class Activation(TimeStampedModel):
    """Officials open a restricted area, for a time window, to the holders of the kinds chosen."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="credential_activations",
        verbose_name=_("community"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        RestrictedArea,
        on_delete=models.PROTECT,
        related_name="activations",
        verbose_name=_("restricted area"),
    )
    kinds = models.JSONField(_("kinds admitted"), default=list)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("activation")
        verbose_name_plural = _("activations")

    def __str__(self) -> str:
        return self.name


class CredentialCheckQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        if viewer.is_facilitator:
            return self.all()
        if not viewer.is_authenticated:
            return self.none()
        return self.filter(approver_q(viewer) | Q(uploaded_by_id=viewer.user_id))


class CredentialCheck(models.Model):
    """A check made at a checkpoint (on the offline page, uploaded later, or online)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="credential_checks",
        verbose_name=_("community"),
    )  # fmt: skip
    client_id = models.UUIDField(_("check id"), unique=True)
    checked_at = models.DateTimeField(_("checked at"))
    credential_id = models.CharField(_("credential id"), max_length=16, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices)
    activation_id_seen = models.IntegerField(_("activation"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = CredentialCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("credential check")
        verbose_name_plural = _("credential checks")

    def __str__(self) -> str:
        return f"{self.credential_id or '-'} {self.result}"
