"""A community partnership, the organizations at its table, and its co-chairs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, slug_re
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.timezones import validate_time_zone

from .choices import US_STATES, CommunityKind


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> "CommunityQuerySet":
        """Return the communities the viewer's organization belongs to (all, for facilitators)."""
        if viewer.is_facilitator:
            return self.all()
        return self.filter(pk__in=viewer.community_ids)

    def with_slug(self, text) -> "CommunityQuerySet":
        """Return the community named by `text`, or none when the text is not a slug at all.

        Text from a request is checked before it reaches the database: PostgreSQL refuses a NUL byte.
        """
        if not isinstance(text, str) or not slug_re.fullmatch(text):
            return self.none()
        return self.filter(slug=text)


def default_time_zone() -> str:
    """Return the zone a new community takes unless its creator names another (a setting, not UTC)."""
    return settings.COMMUNITY_DEFAULT_TIME_ZONE


class Community(TimeStampedModel):
    """A city, county or region whose public and private organizations form a partnership."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True, help_text=_("Used in addresses."))
    kind = models.CharField(_("kind"), max_length=10, choices=CommunityKind.choices)
    state = models.CharField(_("state"), max_length=2, choices=US_STATES)
    center_latitude = models.FloatField(
        _("centre latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    center_longitude = models.FloatField(
        _("centre longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("Where the partnership meets: its pages, forms and calendar show times in this zone."),
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    coverage_threshold = models.PositiveSmallIntegerField(
        _("coverage threshold (%)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of the recommended stakeholder categories at the table for step 2 to be done."),
    )
    assessment_threshold = models.PositiveSmallIntegerField(
        _("assessment threshold (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Share of the organizations at the table that must assess their hazards for step 5 to be done."
        ),
    )
    members_cast_ballots = models.BooleanField(
        _("members cast their organization's ballot"),
        default=False,
        help_text=_(
            "An organization's ballot is its own, cast by its admins; tick to let any of its members cast it."
        ),
    )
    two_factor_required_for_leaders = models.BooleanField(
        _("leaders sign in in two steps"),
        default=False,
        help_text=_(
            "Tick to require a code from an authenticator app, after the password, of this community's "
            "co-chairs and of the admins of its organizations."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:dashboard", args=[self.slug])


class Membership(TimeStampedModel):
    """An organization's seat at a community's table."""

    # No index of its own: the unique (community, organization) constraint's index serves it.
    community = models.ForeignKey(
        Community, related_name="memberships", on_delete=models.CASCADE, db_index=False
    )
    organization = models.ForeignKey(
        "registry.Organization", related_name="memberships", on_delete=models.CASCADE
    )
    invitation = models.ForeignKey(
        "registry.Invitation", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["id"]  # lists order by name in their selectors; a default join here slows every prefetch
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "organization"], name="membership_unique_per_community"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.community}"


class CoChair(TimeStampedModel):
    """A leader who co-chairs a community's partnership for the public or the private side."""

    community = models.ForeignKey(Community, related_name="cochairs", on_delete=models.CASCADE)
    person = models.ForeignKey("registry.Person", related_name="cochair_roles", on_delete=models.CASCADE)

    class Meta:
        ordering = ["community", "person__last_name"]
        verbose_name = _("co-chair")
        verbose_name_plural = _("co-chairs")
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="cochair_unique_per_community")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.community})"

    def clean(self):
        if not Membership.objects.filter(
            community_id=self.community_id, organization_id=self.person.organization_id
        ).exists():
            raise ValidationError(
                {"person": _("A co-chair's organization must be a member of the community.")}
            )


class ProgressStamp(models.Model):
    """A community's progress changes when its token does: every write the dashboard's figures read from
    draws a new one as soon as it commits, so every server's cached snapshot under the old token goes unread
    (`communities.snapshots`). Not a field of Community, which its editors save whole."""

    community = models.OneToOneField(Community, related_name="+", on_delete=models.CASCADE)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("progress stamp")
        verbose_name_plural = _("progress stamps")

    def __str__(self) -> str:
        return f"{self.community_id}:{self.token}"
