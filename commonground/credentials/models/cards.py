"""The credentials, the program's activations, and the checks made at checkpoints."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel

from ..choices import CheckResult, CredentialKind, CredentialStatus
from .enrolment import HeldQuerySet, Nomination
from .program import CommunityQuerySet, RestrictedArea, SigningKey, acting_user, approver_q


class CredentialQuerySet(HeldQuerySet):
    """Read as its nomination is (`HeldQuerySet`)."""

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

    audit_community = "community"  # its audit entries: this community's co-chairs only (core.audit)

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
    created_by = acting_user()
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    audit_community = "community"  # its audit entries: this community's co-chairs only (core.audit)

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

    audit_community = "community"  # its audit entries: this community's co-chairs only (core.audit)

    objects = CredentialCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("credential check")
        verbose_name_plural = _("credential checks")

    def __str__(self) -> str:
        return f"{self.credential_id or '-'} {self.result}"
