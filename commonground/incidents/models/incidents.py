"""An incident the partnership manages together, and its ICS operational periods."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.registry.models import LATITUDE, LONGITUDE
from commonground.registry.records import OrganizationRecord, OwnedQuerySet

from ..choices import (
    OPEN_STATUSES,
    CapCategory,
    CapCertainty,
    CapSeverity,
    CapUrgency,
    IncidentStatus,
)
from ..geometry import polygon_errors

# An incident's area is a county's or a region's, never a continent's.
MAX_RADIUS_KM = 500


class IncidentQuerySet(OwnedQuerySet):
    def open(self) -> IncidentQuerySet:
        """Return the incidents still being managed (active or stabilizing)."""
        return self.filter(status__in=OPEN_STATUSES)

    def led_by(self, viewer) -> IncidentQuerySet:
        """Return the incidents the viewer leads: co-chairs of its community, the opening organization's
        admins, and facilitators."""
        if viewer.is_facilitator:
            return self.all()
        leads = models.Q(community_id__in=sorted(viewer.cochair_community_ids))
        if viewer.is_organization_admin and viewer.organization_id:
            leads |= models.Q(organization_id=viewer.organization_id)
        return self.filter(leads)


class Incident(OrganizationRecord):
    """A critical incident: opened by a public-safety organization or the co-chairs, run in operational periods.

    `organization` is the opening organization (the owner of the record's marking); the incident is led by it
    and by the community's co-chairs.
    """

    number = models.PositiveIntegerField(_("number"), editable=False)
    hazard = models.ForeignKey(
        "risks.Hazard", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("hazard")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    is_exercise = models.BooleanField(
        _("exercise"), default=False, help_text=_("An exercise: alerts say so (CAP status Exercise).")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.ACTIVE
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # The area: a point and a radius, or a GeoJSON polygon drawn on the map (longitude, latitude pairs).
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=LONGITUDE)
    radius_km = models.FloatField(
        _("radius (km)"), null=True, blank=True,
        validators=[MinValueValidator(0.01), MaxValueValidator(MAX_RADIUS_KM)],
    )  # fmt: skip
    polygon = models.JSONField(
        _("area polygon"), null=True, blank=True,
        help_text=_("A GeoJSON Polygon: a closed ring of [longitude, latitude] points."),
    )  # fmt: skip
    area_description = models.CharField(_("area description"), max_length=200, blank=True)
    # CAP 1.2 <info>: taken from the hazard when opened, changed by the leadership.
    cap_category = models.CharField(_("CAP category"), max_length=10, choices=CapCategory.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=CapUrgency.choices, default="Immediate")
    severity = models.CharField(_("severity"), max_length=10, choices=CapSeverity.choices, default="Severe")
    certainty = models.CharField(
        _("certainty"), max_length=10, choices=CapCertainty.choices, default="Observed"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("opened by"),
    )  # fmt: skip
    # The after-action summary, computed when the incident closes (see `incidents.summary`).
    summary = models.JSONField(_("after-action summary"), null=True, blank=True, editable=False)

    objects = IncidentQuerySet.as_manager()

    class TLPOptions(OrganizationRecord.TLPOptions):
        pass

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="incident_unique_number"),
        ]
        indexes = [models.Index(fields=["community", "status"], name="incident_community_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """The incident's number as requests cite it: `<community>-<number>`."""
        return f"{self.community.slug}-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def clean(self):
        errors = incident_area_errors(self.__dict__)
        if errors:
            raise ValidationError(errors)


def incident_area_errors(values) -> dict[str, str]:
    """Return {field: message} for an incident's area: a point with a radius, or a polygon, never neither."""
    errors = {}
    point = values.get("latitude") is not None and values.get("longitude") is not None
    if (values.get("latitude") is None) != (values.get("longitude") is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    polygon = values.get("polygon")
    if polygon not in (None, "", {}):
        message = polygon_errors(polygon)
        if message:
            errors["polygon"] = message
    elif not point:
        errors["polygon"] = _("Draw the area on the map, or give a point and a radius.")
    if point and values.get("radius_km") is None and polygon in (None, "", {}):
        errors["radius_km"] = _("Give the radius of the area around the point.")
    return errors


class OperationalPeriodQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> OperationalPeriodQuerySet:
        """Return the periods of the incidents the viewer may see."""
        return self.filter(incident__in=Incident.objects.visible_to(viewer).values("pk"))


class OperationalPeriod(TimeStampedModel):
    """An ICS operational period: a stretch of the response with its own objectives (the IAP's)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="periods", verbose_name=_("incident")
    )
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    objectives = models.TextField(_("objectives"), max_length=4000)

    objects = OperationalPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "number"]
        verbose_name = _("operational period")
        verbose_name_plural = _("operational periods")
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="period_unique_number"),
        ]

    def __str__(self) -> str:
        return _("Operational period %(number)s") % {"number": self.number}

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A period ends after it starts.")})
