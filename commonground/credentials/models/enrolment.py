"""Enrolment: the facilities and the nominations of essential employees."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.registry.models import LATITUDE, LONGITUDE

from ..choices import CredentialKind, CriticalReason, NominationStatus
from .program import CommunityQuerySet, acting_user, approver_q


class OrganizationEnrolment(TimeStampedModel):
    """What a member organization enrols in one community's program (a facility, a nomination).

    Its audit entries are read by that community's co-chairs only (`audit_community`, core.audit)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="credential_%(class)s_set",
        verbose_name=_("community"),
    )  # fmt: skip
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="credential_%(class)s_set",
        verbose_name=_("organization"),
    )  # fmt: skip

    audit_community = "community"

    class Meta:
        abstract = True


class Facility(OrganizationEnrolment):
    """A site of a member organization whose staff may need to reach it in a restricted area."""

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


class HeldQuerySet(models.QuerySet):
    """The reading rule of what a person holds in an organization's name (a nomination, the credential it became):
    the organization's admins, the person, the approvers and the facilitators."""

    def visible_to(self, viewer):
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


class NominationQuerySet(HeldQuerySet):
    """Nominations, read by `HeldQuerySet`'s rule."""


def photo_path(instance, filename: str) -> str:
    return f"credentials/photos/{instance.community_id}/{timezone.now():%Y%m}/{filename}"


class Nomination(OrganizationEnrolment):
    """An organization's nomination of an essential employee (or a flex card, or a vehicle's placard)."""

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
    cochair_approved_by = acting_user()
    safety_approved_by = acting_user()
    # The moments of the two approvals (the approver's login may later be removed; the approval stays).
    cochair_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    safety_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, max_length=2000)
    nominated_by = acting_user()

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
