"""What each organization must keep running, and how it judges the hazards that concern it (a self-assessment).

Both are sensitive: TLP:AMBER unless the organization chooses otherwise, read only through `visible_to`.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.registry.records import OrganizationRecord

from ..choices import Impact, Likelihood, Preparedness, Vulnerability


class CriticalFunction(OrganizationRecord):
    """Something that must keep running, for the organization itself or for the community it serves."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    serves_community = models.BooleanField(
        _("the community relies on it"),
        default=False,
        help_text=_(
            "Check it when people beyond the organization depend on it (power, water, care, payroll)."
        ),
    )
    max_downtime_hours = models.FloatField(
        _("maximum tolerable downtime (hours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24 * 365)],
    )

    class Meta:
        ordering = ["organization__name", "name", "id"]
        verbose_name = _("critical function")
        verbose_name_plural = _("critical functions")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "organization", "name"], name="critical_function_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class HazardAssessment(OrganizationRecord):
    """One organization's judgement of one hazard: how likely, how bad, how exposed, how ready."""

    hazard = models.ForeignKey(
        "risks.Hazard", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("hazard")
    )
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), choices=Likelihood.choices, validators=SCORE
    )
    impact_life_safety = models.PositiveSmallIntegerField(
        _("impact on life safety"), choices=Impact.choices, validators=SCORE
    )
    impact_operations = models.PositiveSmallIntegerField(
        _("impact on operations"), choices=Impact.choices, validators=SCORE
    )
    impact_property = models.PositiveSmallIntegerField(
        _("impact on property"), choices=Impact.choices, validators=SCORE
    )
    vulnerability = models.PositiveSmallIntegerField(
        _("vulnerability"), choices=Vulnerability.choices, validators=SCORE,
        help_text=_("How exposed the organization is: its site, its dependencies, its people."),
    )  # fmt: skip
    preparedness = models.PositiveSmallIntegerField(
        _("current preparedness"), choices=Preparedness.choices, validators=SCORE,
        help_text=_("Plans, training, equipment and agreements already in place."),
    )  # fmt: skip
    critical_functions = models.ManyToManyField(
        CriticalFunction, blank=True, related_name="assessments", verbose_name=_("critical functions at risk")
    )
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)

    class Meta:
        ordering = ["hazard__name", "organization__name", "id"]
        verbose_name = _("hazard assessment")
        verbose_name_plural = _("hazard assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "organization", "hazard"], name="assessment_one_per_hazard"
            )
        ]
        indexes = [models.Index(fields=["community", "hazard"], name="assessment_community_hazard")]

    def __str__(self) -> str:
        return f"{self.hazard} · {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("risks:assessment_detail", args=[self.pk])

    @property
    def impact(self) -> int:
        """The worst of the three impacts: a hazard is as bad as its worst consequence."""
        return max(self.impact_life_safety, self.impact_operations, self.impact_property)

    @property
    def risk(self) -> int:
        """Likelihood x impact, from 1 to 25."""
        return self.likelihood * self.impact
