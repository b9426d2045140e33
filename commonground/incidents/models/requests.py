"""ICS-213RR resource requests, and the assignments of resources to them: proposed, committed, accepted."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.registry.models import LATITUDE, LONGITUDE
from commonground.resources.choices import CATEGORY_CHOICES, CapabilityType, ResourceKind, SharingTerms
from commonground.resources.models import Resource

from ..choices import HOLDING_STATES, AssignmentState, Priority, RequestState
from ..permissions import can_lead_incident
from .incidents import Incident

# A request asks for what one partnership can bring: a million units is a typing error, not a need.
MAX_QUANTITY = 100_000


def all_terms() -> list[str]:
    return list(SharingTerms.values)


class ResourceRequestQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> ResourceRequestQuerySet:
        """Return the requests of the incidents the viewer may see: a request carries its incident's marking.
        A draft is seen only by its own organization and the incident's leadership."""
        return self._drafts_shown(
            viewer, self.filter(incident__in=Incident.objects.visible_to(viewer).values("pk"))
        )

    def of_visible_incident(self, viewer, incident: Incident) -> ResourceRequestQuerySet:
        """`visible_to(viewer).filter(incident=incident)` for an incident already read through
        `Incident.objects.visible_to(viewer)` (the board's): its visibility is not checked again in SQL, and
        whether the viewer leads it (and so sees its drafts) is decided without a query."""
        visible = self.filter(incident=incident)
        if can_lead_incident(viewer, incident):  # the rule of `Incident.objects.led_by`, for one incident
            return visible
        return self._drafts_shown(viewer, visible, led_anywhere=False)

    @staticmethod
    def _drafts_shown(
        viewer, visible: ResourceRequestQuerySet, led_anywhere: bool = True
    ) -> ResourceRequestQuerySet:
        """Leave out other organizations' drafts, except in the incidents the viewer leads (`led_anywhere`
        False: the requests are of incidents the viewer does not lead)."""
        if viewer.is_facilitator:
            return visible
        own = (
            models.Q(organization_id=viewer.organization_id)
            if viewer.organization_id
            else models.Q(pk__in=[])
        )
        shown = ~models.Q(state=RequestState.DRAFT) | own
        if led_anywhere:
            shown |= models.Q(incident__in=Incident.objects.led_by(viewer).values("pk"))
        return visible.filter(shown)


class ResourceRequest(TimeStampedModel):
    """What an organization at the table needs for an incident, where and by when (ICS-213RR)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="requests", verbose_name=_("incident")
    )
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="resource_requests",
        verbose_name=_("requesting organization"),
    )  # fmt: skip
    number = models.PositiveIntegerField(_("number"), editable=False)
    kind = models.CharField(_("NIMS kind"), max_length=12, choices=ResourceKind.choices)
    category = models.CharField(_("ESF category"), max_length=8, choices=CATEGORY_CHOICES)
    capability = models.CharField(_("core capability"), max_length=120, blank=True)
    description = models.CharField(_("what is needed"), max_length=300)
    min_capability_type = models.PositiveSmallIntegerField(
        _("minimum capability type"), choices=CapabilityType.choices, null=True, blank=True,
        help_text=_("Type 2 is met by a type 1 or 2 resource; empty for any."),
    )  # fmt: skip
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    latitude = models.FloatField(_("deliver to: latitude"), null=True, blank=True, validators=LATITUDE)
    longitude = models.FloatField(_("deliver to: longitude"), null=True, blank=True, validators=LONGITUDE)
    zip_code = models.CharField(_("deliver to: ZIP code"), max_length=10, blank=True)
    location = models.CharField(_("deliver to"), max_length=200, blank=True)
    needed_by = models.DateTimeField(_("needed by"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.HIGH
    )
    substitutes_ok = models.BooleanField(
        _("substitutes accepted"), default=False,
        help_text=_("Another kind of resource in the same ESF category will do."),
    )  # fmt: skip
    accepted_terms = models.JSONField(
        _("terms accepted"), default=all_terms, blank=True,
        help_text=_("The sharing terms the requester accepts (donation, loan, paid, mutual aid)."),
    )  # fmt: skip
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    state = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.DRAFT
    )
    state_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    filled_at = models.DateTimeField(_("wholly committed at"), null=True, blank=True, editable=False)

    objects = ResourceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "priority", "needed_by", "number"]
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="request_unique_number"),
        ]
        indexes = [models.Index(fields=["incident", "state"], name="request_incident_state")]

    def __str__(self) -> str:
        return f"{self.reference} {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:request_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """`<community>-<incident>-<seq>`."""
        return f"{self.incident.reference}-{self.number}"

    def clean(self):
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            errors["latitude"] = _("Give both latitude and longitude, or neither.")
        if self.latitude is None and not self.zip_code:
            errors["zip_code"] = _("Say where to deliver: a point on the map or a ZIP code.")
        unknown = sorted(set(self.accepted_terms or []) - set(SharingTerms.values))
        if not isinstance(self.accepted_terms, list) or unknown or not self.accepted_terms:
            errors["accepted_terms"] = _("Choose at least one of: %(terms)s.") % {
                "terms": ", ".join(SharingTerms.values)
            }
        if errors:
            raise ValidationError(errors)


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> AssignmentQuerySet:
        """Return the assignments of requests the viewer may see, of resources the viewer may see."""
        return self.filter(
            request__in=ResourceRequest.objects.visible_to(viewer).values("pk"),
            resource__in=Resource.objects.visible_to(viewer).values("pk"),
        )

    def holding(self) -> AssignmentQuerySet:
        """Return the assignments that hold a resource's units (committed or accepted)."""
        return self.filter(state__in=HOLDING_STATES)


class Plan(TimeStampedModel):
    """One solve of the allocation for an incident: the optimal plan's figures beside the greedy baseline's.

    The proposed assignments of the latest plan are its `assignments`; a new plan withdraws the older proposals.
    """

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="plans", verbose_name=_("incident")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # {"optimal": {...}, "greedy": {...}}: units served by priority, weighted units, total distance, seconds.
    figures = models.JSONField(_("figures"), default=dict)
    reason = models.CharField(_("why the plan is empty"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("allocation plan")
        verbose_name_plural = _("allocation plans")

    def __str__(self) -> str:
        return _("Plan of %(when)s") % {"when": self.created}


class Assignment(TimeStampedModel):
    """Units of one resource for one request: proposed by the plan, committed by the incident's leadership,
    then accepted (a commitment) or declined by the resource's owner; released when it comes back."""

    request = models.ForeignKey(
        ResourceRequest, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("request")
    )
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("resource")
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("plan"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    state = models.CharField(
        _("state"), max_length=12, choices=AssignmentState.choices, default=AssignmentState.PROPOSED
    )
    distance_m = models.PositiveIntegerField(_("distance (m)"))
    arrives_at = models.DateTimeField(_("arrives at"))
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("accepted or declined at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["request", "-quantity", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            models.Index(fields=["resource", "state"], name="assignment_resource_state"),
            models.Index(fields=["request", "state"], name="assignment_request_state"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.resource} for {self.request.reference}"

    @property
    def is_late(self) -> bool:
        return self.arrives_at > self.request.needed_by
