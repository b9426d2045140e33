"""Records an organization keeps at a community's table and shares with other organizations under TLP.

Steps 5 and 6 (assessments, critical functions, needs-assessment answers) build on `OrganizationRecord`.
It points at organizations, so it is the registry's, not core's: core knows no domain app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.tlp import ORGANIZATION_MARKINGS, TLP
from commonground.core.visibility import VisibilityQuerySet


class OwnedQuerySet(VisibilityQuerySet):
    def in_community(self, community):
        return self.filter(community=community)


class OrganizationRecord(TimeStampedModel):
    """A record an organization keeps in a community and shares with organizations: TLP:AMBER by default."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("community"),
    )
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="%(class)ss",
        verbose_name=_("organization"),
    )  # fmt: skip
    tlp = models.CharField(
        _("marking"), max_length=20, choices=ORGANIZATION_MARKINGS, default=TLP.AMBER,
        help_text=_("Shared with organizations, so TLP:RED (named people only) does not apply."),
    )  # fmt: skip
    recipient_organizations = models.ManyToManyField(
        "registry.Organization",
        blank=True,
        related_name="+",
        verbose_name=_("recipient organizations"),
        help_text=_("For TLP:AMBER and TLP:AMBER+STRICT: organizations named to see it."),
    )

    objects = OwnedQuerySet.as_manager()

    class TLPOptions:
        marking = "tlp"
        owner = "organization"
        community = "community"
        recipient_organizations = "recipient_organizations"

    class Meta:
        abstract = True
