"""The incident's ICS-214 activity log and situation reports, and the CAP 1.2 alerts it issued."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.tlp import TLP
from commonground.registry.records import OrganizationRecord, OwnedQuerySet
from commonground.resources.models import Resource

from .. import compiled
from ..choices import AlertType, TimelineKind
from .incidents import Incident


class IncidentRecordQuerySet(OwnedQuerySet):
    def visible_to(self, viewer) -> IncidentRecordQuerySet:
        """Return the records the viewer may see by their own marking, of incidents the viewer may see."""
        return (
            super().visible_to(viewer).filter(incident__in=Incident.objects.visible_to(viewer).values("pk"))
        )

    def of_visible_incident(self, viewer, incident: Incident) -> IncidentRecordQuerySet:
        """`visible_to(viewer).filter(incident=incident)` for an incident already read through
        `Incident.objects.visible_to(viewer)` (the board's): its visibility is not checked again in SQL, and the
        records' own rule (the parent's `visible_to`) is compiled once per viewer (`incidents.compiled`)."""
        model = self.model
        marked = compiled.condition(
            f"{model._meta.label}:marking",
            viewer,
            lambda v: super(IncidentRecordQuerySet, model.objects.all()).visible_to(v),
        )
        return self.filter(marked, incident=incident)


class TimelineEntryQuerySet(IncidentRecordQuerySet):
    def visible_to(self, viewer) -> TimelineEntryQuerySet:
        """Return the entries the viewer may see by their own marking and their incident's, and, for a line
        that names a resource, only if the viewer may see the resource too (audiences are not nested: a line
        marked by one of the two records would show the other to readers it is hidden from)."""
        return super().visible_to(viewer).filter(self._resource_shown(viewer))

    def of_visible_incident(self, viewer, incident: Incident, shown_resources=None) -> TimelineEntryQuerySet:
        """As the parent's, with the resource rule; `shown_resources`, when given, is
        `Resource.objects.visible_to(viewer).values("pk")` built already (the board's, for its assignments too)."""
        return (
            super()
            .of_visible_incident(viewer, incident)
            .filter(self._resource_shown(viewer, shown_resources))
        )

    @staticmethod
    def _resource_shown(viewer, shown_resources=None) -> models.Q:
        if shown_resources is None:
            shown_resources = Resource.objects.visible_to(viewer).values("pk")
        return models.Q(resource__isnull=True) | models.Q(resource__in=shown_resources)


class TimelineEntry(OrganizationRecord):
    """One line of the incident's log: an activity the platform records (who did what, when), or a situation
    report a member posts under its own marking. `organization` is the author's (the owner of the marking)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("incident")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=TimelineKind.choices, default=TimelineKind.ACTIVITY
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("who"),
    )  # fmt: skip
    text = models.TextField(_("what"), max_length=4000)
    # The resource a line names (an assignment's step): its reader must see it as well as the incident.
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("resource"),
    )  # fmt: skip

    objects = TimelineEntryQuerySet.as_manager()

    class TLPOptions(OrganizationRecord.TLPOptions):
        pass

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [models.Index(fields=["incident", "at"], name="timeline_incident_at")]

    def __str__(self) -> str:
        return self.text[:80]


class Alert(OrganizationRecord):
    """A CAP 1.2 alert the incident issued when it opened, changed or closed; kept as it was sent.

    It carries the incident's marking at that moment: `scope` Public only for TLP:CLEAR, Restricted otherwise.
    """

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("incident")
    )
    msg_type = models.CharField(_("message type"), max_length=8, choices=AlertType.choices)
    identifier = models.CharField(_("identifier"), max_length=200, unique=True)
    sent = models.DateTimeField(_("sent"))
    headline = models.CharField(_("headline"), max_length=200)
    xml = models.TextField(_("CAP 1.2 XML"))

    objects = IncidentRecordQuerySet.as_manager()

    class TLPOptions(OrganizationRecord.TLPOptions):
        pass

    class Meta:
        ordering = ["-sent", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.msg_type}: {self.headline}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:alert_xml", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.tlp == TLP.CLEAR
