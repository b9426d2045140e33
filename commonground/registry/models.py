"""Organizations at the table, their people, and the invitations that brought them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.mail import MailStatus
from commonground.core.models import TimeStampedModel
from commonground.core.tlp import TLP
from commonground.core.validators import validate_state_code, validate_zip_code
from commonground.core.visibility import VisibilityQuerySet

from .choices import CATEGORY_CHOICES, CI_SECTOR_CHOICES, GovernmentLevel, PersonRole, Sector

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


def _seated(**membership_filter) -> models.Exists:
    from commonground.communities.models import Membership

    return models.Exists(Membership.objects.filter(organization=models.OuterRef("pk"), **membership_filter))


class OrganizationQuerySet(models.QuerySet):
    # Written as EXISTS so that SQLite and PostgreSQL walk the name index and stop at a page's end.
    def visible_to(self, viewer) -> "OrganizationQuerySet":
        """Return the organizations that share a community with the viewer (all, for facilitators)."""
        if viewer.is_facilitator:
            return self.all()
        if not viewer.is_authenticated:
            return self.none()
        if not viewer.community_ids:
            return self.filter(pk=viewer.organization_id) if viewer.organization_id else self.none()
        return self.filter(_seated(community_id__in=sorted(viewer.community_ids)))

    def named_parties(self, pks) -> tuple[set[int], set[int]]:
        """Return the organizations and people `visible_to` compares with the viewer's for these records: the
        organizations themselves (see `VisibilityQuerySet.named_parties`)."""
        return {int(pk) for pk in pks}, set()

    def in_community(self, community) -> "OrganizationQuerySet":
        """Return the organizations at one community's table."""
        return self.filter(_seated(community=community))


def organization_errors(values) -> dict[str, str]:
    """Return {field: message} for an organization's rules across fields, read from a mapping of values.

    One place for the rule: the model's clean() and the import (which checks plain rows without
    building a model for each) both call it.
    """
    errors = {}
    sector, level = values.get("sector"), values.get("level")
    if sector == Sector.PUBLIC and not level:
        errors["level"] = _("A public body needs its government level (local, state, federal or tribal).")
    if sector and sector != Sector.PUBLIC and level:
        errors["level"] = _("Only public bodies have a government level.")
    errors.update(place_errors(values))
    return errors


def place_errors(values) -> dict[str, str]:
    """Return {field: message} for the coordinates of anything placed on the map (the fields' own validators
    check the state and the ZIP code)."""
    errors = {}
    if (values.get("latitude") is None) != (values.get("longitude") is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    return errors


class Place(models.Model):
    """Anything placed on the map: its address, and its coordinates (both or neither).

    `clean()` checks `rule_errors()`, the rules across the record's fields: a subclass that has more than a
    place's gives them by a function of a mapping of values, which its import calls too.
    """

    address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True, validators=[validate_state_code])
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True, validators=[validate_zip_code])
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=LONGITUDE)

    class Meta:
        abstract = True

    def rule_errors(self) -> dict[str, str]:
        return place_errors(self.__dict__)

    def clean(self):
        errors = self.rule_errors()
        if errors:
            raise ValidationError(errors)


class Organization(Place, TimeStampedModel):
    """An agency, business or non-profit that takes part in one or more partnerships."""

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    category = models.CharField(_("category"), max_length=40, choices=CATEGORY_CHOICES)
    level = models.CharField(
        _("government level"),
        max_length=10,
        choices=GovernmentLevel.choices,
        blank=True,
        help_text=_("For public bodies: local, state, federal or tribal."),
    )
    ci_sector = models.CharField(
        _("critical infrastructure sector"), max_length=40, choices=CI_SECTOR_CHOICES, blank=True
    )
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = OrganizationQuerySet.as_manager()

    label_fields = ("name",)  # what `__str__` reads: a select of organizations reads no more (`core.forms`)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            models.Index(Lower("name"), name="organization_lower_name"),
            models.Index(fields=["name", "id"], name="organization_name_id"),
            # A list filtered by one of these, in name order, reads its page's rows from the index: at 100,000
            # organizations the names of a sector cluster (7,169 sort before the 25th public one), and walking the
            # name index for them cost the list API three times its root.
            models.Index(fields=["sector", "name", "id"], name="organization_sector_name_id"),
            models.Index(fields=["level", "name", "id"], name="organization_level_name_id"),
            models.Index(fields=["category", "name", "id"], name="organization_category_name_id"),
            models.Index(fields=["ci_sector", "name", "id"], name="organization_ci_sector_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organization_detail", args=[self.pk])

    def rule_errors(self) -> dict[str, str]:
        return organization_errors(self.__dict__)

    @property
    def side(self) -> str:
        return "public" if self.sector == Sector.PUBLIC else "private"


class PersonQuerySet(VisibilityQuerySet):
    def visible_to(self, viewer) -> "PersonQuerySet":
        """Return the people of the organizations the viewer may see; contact details are marked apart."""
        return self.filter(organization__in=Organization.objects.visible_to(viewer).values("pk"))

    def with_contact_visibility(self, viewer) -> "PersonQuerySet":
        """Annotate `contact_visible`: whether the contact details' TLP marking admits the viewer."""
        return self.annotate_marking_visible(viewer, name="contact_visible")

    def with_shown_contacts(self, viewer) -> "PersonQuerySet":
        """Annotate `shown_email`, `shown_phone` and `shown_mobile`: the contact details, blank where withheld."""
        shown = self.tlp_q(viewer)
        return self.annotate(
            **{
                f"shown_{name}": models.Case(
                    models.When(shown, then=models.F(name)),
                    default=models.Value(""),
                    output_field=models.CharField(),
                )
                for name in self.model.TLPOptions.marked_fields
            }
        )

    def contact_marking(self, viewer, floor: str = TLP.GREEN) -> str:
        """Return the marking of a view of these people: the narrowest contact details it shows, at least `floor`."""
        return self.filter(self.tlp_q(viewer)).narrowest_marking(floor)


class Person(TimeStampedModel):
    """Someone who speaks or acts for an organization; may have a login."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), related_name="people", on_delete=models.CASCADE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="person", on_delete=models.SET_NULL
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    title = models.CharField(_("title"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=PersonRole.choices, default=PersonRole.MEMBER)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    contact_tlp = models.CharField(
        _("contact details marking"),
        max_length=20,
        choices=TLP.choices,
        default=TLP.GREEN,
        help_text=_("Who may see this person's e-mail and phone numbers."),
    )

    objects = PersonQuerySet.as_manager()

    label_fields = ("first_name", "last_name")  # what `__str__` reads (`core.forms.labels_only`)

    class TLPOptions:
        marking = "contact_tlp"
        owner = "organization"
        person = "self"
        # The marking covers the contact details only; the name and role are the table's.
        marked_fields = ("email", "phone", "mobile")

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=~models.Q(email=""),
                name="person_unique_email_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("registry:organization_detail", args=[self.organization_id]) + f"#person-{self.pk}"

    @property
    def is_organization_admin(self) -> bool:
        return self.role == PersonRole.ADMIN


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    REVOKED = "revoked", _("revoked")


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> "InvitationQuerySet":
        """Return the invitations the viewer sent, or of the communities they co-chair or facilitate."""
        if viewer.is_facilitator:
            return self.all()
        if not viewer.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(community_id__in=viewer.cochair_community_ids) | models.Q(invited_by_id=viewer.user_id)
        )


class Invitation(TimeStampedModel):
    """An invitation to the table, sent by a leader or member from their own network."""

    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        related_name="invitations",
        on_delete=models.CASCADE,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        related_name="invitations_sent",
        on_delete=models.PROTECT,
    )
    inviter_person = models.ForeignKey(
        Person, null=True, blank=True, related_name="invitations_sent", on_delete=models.SET_NULL
    )
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        related_name="invitations",
        on_delete=models.SET_NULL,
        help_text=_("An organization already at the table, when the person joins it."),
    )
    organization_name = models.CharField(
        _("organization name"),
        max_length=200,
        blank=True,
        help_text=_("For an organization new to the table."),
    )
    suggested_category = models.CharField(_("category"), max_length=40, choices=CATEGORY_CHOICES, blank=True)
    as_cochair = models.BooleanField(_("invite as co-chair"), default=False)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    expires_at = models.DateTimeField(_("expires"))
    # The invitation mail's delivery, set by the task queue (core.mail); blank for one sent before it was kept.
    mail_status = models.CharField(_("e-mail"), max_length=10, choices=MailStatus.choices, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_person = models.ForeignKey(
        Person, null=True, blank=True, related_name="invitations_accepted", on_delete=models.SET_NULL
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_expired(self) -> bool:
        return self.status == InvitationStatus.PENDING and self.expires_at <= timezone.now()

    @property
    def display_status(self) -> str:
        return _("expired") if self.is_expired else self.get_status_display()
