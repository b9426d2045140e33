"""The program's set-up: its rules, its restricted areas, its signing keys."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel


def acting_user() -> models.ForeignKey:
    """The login that did something (nominated, approved, activated): emptied if the login is removed, the act
    and its moment stay."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )


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

    audit_community = "community"  # its audit entries: this community's co-chairs only (core.audit)

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

    audit_community = "community"  # its audit entries: this community's co-chairs only (core.audit)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("restricted area")
        verbose_name_plural = _("restricted areas")

    def __str__(self) -> str:
        return self.name


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

    audit_community = "community"  # its audit entries: this community's co-chairs only (core.audit)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return self.kid
