"""Step 5: the hazards that threaten the community's organizations (the catalogue and each community's own)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.visibility import Viewer

from ..choices import HazardKind, Lifeline


class HazardQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> "HazardQuerySet":
        """Return the catalogue, and the hazards added by the communities the viewer sits in."""
        if viewer.is_facilitator:
            return self.all()
        if not viewer.is_authenticated:
            return self.none()
        return self.filter(Q(community__isnull=True) | Q(community_id__in=sorted(viewer.community_ids)))

    def for_backup(self) -> "HazardQuerySet":
        """Leave out the catalogue, which every installation's migrations load."""
        return self.filter(community__isnull=False)

    def for_community(self, community) -> "HazardQuerySet":
        """Return the hazards a community assesses: the catalogue and its own."""
        return self.filter(Q(community__isnull=True) | Q(community=community))


class Hazard(TimeStampedModel):
    """A natural, technological or human-caused hazard; the catalogue's have no community."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="hazards",
        verbose_name=_("community"),
        help_text=_("Empty for the catalogue every community shares."),
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=HazardKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    national_risk_index = models.BooleanField(
        _("in the National Risk Index"),
        default=False,
        help_text=_("One of the 18 natural hazards FEMA scores."),
    )
    lifelines = models.JSONField(
        _("lifelines"), default=list, blank=True, help_text=_("The community lifelines it threatens.")
    )

    objects = HazardQuerySet.as_manager()

    label_fields = ("name",)  # what `__str__` reads (`core.forms.labels_only`)

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(community__isnull=True), name="hazard_unique_code_in_catalogue"
            ),
            models.UniqueConstraint(fields=["community", "code"], name="hazard_unique_code_per_community"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        unknown = sorted(set(self.lifelines or []) - set(Lifeline.values))
        if not isinstance(self.lifelines, list) or unknown:
            raise ValidationError(
                {"lifelines": _("Unknown lifeline(s): %(names)s") % {"names": ", ".join(unknown)}}
            )

    @property
    def is_catalogue(self) -> bool:
        return self.community_id is None

    def get_lifelines_display(self) -> list[str]:
        labels = dict(Lifeline.choices)
        return [str(labels.get(code, code)) for code in self.lifelines]
