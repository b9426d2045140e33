"""The community's centralized resource database (step 4): what each organization can offer in an incident."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.tlp import TLP
from commonground.core.visibility import VisibilityQuerySet
from commonground.registry.models import Place, place_errors
from commonground.registry.records import OrganizationRecord, OwnedQuerySet

from .choices import CATEGORY_CHOICES, AgreementKind, Availability, CapabilityType, ResourceKind, SharingTerms
from .disclosure import disclosure_q


def stale_before() -> datetime.date:
    """Return the date before which a resource's last verification makes it stale."""
    return timezone.localdate() - datetime.timedelta(days=settings.RESOURCE_STALE_DAYS)


class ResourceQuerySet(OwnedQuerySet):
    def tlp_q(self, viewer):
        """The TLP table, and the owner's disclosure to the leadership of an active incident (`disclosure`)."""
        return super().tlp_q(viewer) | disclosure_q(viewer)

    def stale(self, stale: bool = True, *, before: datetime.date | None = None) -> "ResourceQuerySet":
        """Return the resources not verified lately (or, with stale=False, those verified lately): verified
        before `before` (by default today's `stale_before`)."""
        condition = models.Q(verified_on__lt=before or stale_before())
        return self.filter(condition) if stale else self.exclude(condition)


# What the visibility conditions read of a resource's own row (`ResourceQuerySet.tlp_q`: the marking, the holder,
# and the owner's disclosure to an incident's leadership); the rest is its key and its community.
VISIBILITY_COLUMNS = ["tlp", "organization", "disclosed_in_incidents"]


class Resource(Place, OrganizationRecord):
    """Something an organization can bring to an incident, typed the NIMS way and placed on the map."""

    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="resources",
        verbose_name=_("organization"),
        help_text=_("The organization that holds the resource and shares it."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    kind = models.CharField(_("NIMS kind"), max_length=12, choices=ResourceKind.choices)
    category = models.CharField(
        _("category"),
        max_length=8,
        choices=CATEGORY_CHOICES,
        help_text=_("The Emergency Support Function it serves; ESF 14 for cross-sector business."),
    )
    capability_type = models.PositiveSmallIntegerField(
        _("capability type"),
        choices=CapabilityType.choices,
        null=True,
        blank=True,
        help_text=_("NIMS type where one applies: 1 is the most capable."),
    )
    capacity = models.FloatField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Its measurable capability, in the capacity unit: 150 (kW), 40 (beds), 5000 (gallons)."),
    )
    capacity_unit = models.CharField(_("capacity unit"), max_length=20, blank=True)
    quantity = models.FloatField(_("quantity"), default=1, validators=[MinValueValidator(0)])
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("each, gallons, pallets, beds ...")
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qualifications",
        verbose_name=_("person"),
        help_text=_(
            "For personnel: who it is. A person counts once in the totals, however many qualifications."
        ),
    )
    contact = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resource_contacts",
        verbose_name=_("contact"),
    )
    availability = models.CharField(
        _("availability"), max_length=16, choices=Availability.choices, default=Availability.AVAILABLE
    )
    deploy_hours = models.FloatField(
        _("hours to deploy"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24 * 365)],
        help_text=_("How long from a request until it is on its way."),
    )
    terms = models.CharField(
        _("terms"), max_length=12, choices=SharingTerms.choices, default=SharingTerms.LOAN
    )
    disclosed_in_incidents = models.BooleanField(
        _("disclosed in incidents"), default=False,
        help_text=_(
            "Let the leadership of an active incident in this community see it, whatever its marking, "
            "while the incident lasts."
        ),
    )  # fmt: skip
    # Unlike other organization records, a resource may be TLP:RED (named people) and is TLP:GREEN by default.
    tlp = models.CharField(_("marking"), max_length=20, choices=TLP.choices, default=TLP.GREEN)
    recipient_people = models.ManyToManyField(
        "registry.Person",
        blank=True,
        related_name="+",
        verbose_name=_("recipient people"),
        help_text=_("For TLP:RED: the people named to see it."),
    )
    verified_on = models.DateField(_("last verified"), default=timezone.localdate)
    reminded_on = models.DateField(
        _("owner last reminded"), null=True, blank=True, editable=False,
        help_text=_("When the owner was last asked to verify it (set by `commonground remind_stale`)."),
    )  # fmt: skip

    objects = ResourceQuerySet.as_manager()

    class TLPOptions(OrganizationRecord.TLPOptions):
        recipient_people = "recipient_people"
        # Set, it shows the resource to an active incident's leadership too: only the marking's owner sets it.
        widening_fields = ("disclosed_in_incidents",)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        # A community's list, and one filtered by category (and kind), end with what the TLP conditions read of
        # the row itself (its marking and holder): their page and their count are read from the index alone
        # (SQLite's covering index, PostgreSQL's index-only scan), not from each row. Counting a community's
        # 400 ESF 12 equipment cost 0.5 ms on SQLite and 5.8 ms on PostgreSQL (10,000 resources) from the
        # rows, 0.1 and 0.3 ms from the index.
        indexes = [
            models.Index(
                fields=["community", "name", "id", *VISIBILITY_COLUMNS], name="resource_community_name"
            ),
            # The list across every community the viewer sees (/api/v1/resources/ without ?community=) walks
            # it in name order to its first page, instead of sorting every visible row.
            models.Index(fields=["name", "id"], name="resource_name"),
            # A list filtered by category (and kind) reads its first page from here in name order: walking the
            # (community, name) index instead read 58,109 rows for one page of ESF 12 equipment on PostgreSQL.
            models.Index(
                fields=["community", "category", "kind", "name", "id", *VISIBILITY_COLUMNS],
                name="resource_community_type",
            ),
            models.Index(fields=["verified_on"], name="resource_verified_on"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:resource_detail", args=[self.pk])

    def rule_errors(self) -> dict[str, str]:
        return resource_errors(self.__dict__)

    @property
    def is_stale(self) -> bool:
        return self.stale_as_of(stale_before())

    def stale_as_of(self, before: datetime.date) -> bool:
        """Whether it was last verified before `before` (a list reads `stale_before()` once for its rows)."""
        return self.verified_on < before


def resource_errors(values) -> dict[str, str]:
    """Return {field: message} for a resource's rules across fields, read from a mapping of values."""
    errors = place_errors(values)
    if values.get("capacity") is not None and not values.get("capacity_unit"):
        errors["capacity_unit"] = _("Say what the capacity is measured in (kW, beds, gallons ...).")
    if values.get("person_id") and values.get("kind") not in (ResourceKind.PERSONNEL, None, ""):
        errors["person"] = _("Only personnel resources name a person.")
    return errors


def agreement_document_path(instance, filename: str) -> str:
    return f"agreements/{timezone.now():%Y/%m}/{filename}"


class Agreement(TimeStampedModel):
    """A memorandum of understanding or mutual-aid agreement between organizations, over resources."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("community"),
    )
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="recorded_agreements",
        verbose_name=_("recorded by"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=AgreementKind.choices, default=AgreementKind.MOU
    )
    parties = models.ManyToManyField(
        "registry.Organization", related_name="agreements", verbose_name=_("parties")
    )
    resources = models.ManyToManyField(
        Resource, blank=True, related_name="agreements", verbose_name=_("resources covered")
    )
    terms = models.TextField(_("terms"), blank=True, max_length=8000)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to=agreement_document_path, blank=True)
    tlp = models.CharField(_("marking"), max_length=20, choices=TLP.choices, default=TLP.AMBER)
    recipient_organizations = models.ManyToManyField(
        "registry.Organization", blank=True, related_name="+", verbose_name=_("recipient organizations")
    )

    objects = VisibilityQuerySet.as_manager()

    class TLPOptions:
        marking = "tlp"
        owner = "organization"
        community = "community"
        # Every party sees its agreement, whatever the marking; others only when named.
        recipient_organizations = ("recipient_organizations", "parties")

    class Meta:
        ordering = ["-starts_on", "title", "id"]
        verbose_name = _("sharing agreement")
        verbose_name_plural = _("sharing agreements")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("An agreement cannot end before it starts.")})

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)
