"""Import organizations and people from CSV or XLSX, through the core import engine."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from commonground.communities.models import Membership
from commonground.communities.permissions import can_manage_community
from commonground.core.bulk import insert_rows
from commonground.core.importing import ModelImporter, Row, no_such_record
from commonground.core.services import require, viewer_of
from commonground.core.tabular import Column, ParsedRow, RowError, choice, email, integer, number, text
from commonground.core.tlp import TLP
from commonground.core.validators import normalized_state_code, normalized_zip_code

from .choices import CATEGORY_CHOICES, CI_SECTOR_CHOICES, GovernmentLevel, PersonRole, Sector
from .geo import fill_coordinates
from .models import Organization, Person, organization_errors
from .permissions import can_add_organization, can_edit_organization

state_code = normalized_state_code
zip_code = normalized_zip_code


_url_validator = URLValidator()


def _url(value: str) -> str:
    value = value.strip()
    if value:
        try:
            _url_validator(value)
        except ValidationError:
            raise ValueError(_("'%(value)s' is not a web address") % {"value": value[:60]}) from None
    return value


# Where an organization or a resource is: its address, or its coordinates (from the ZIP code when not given).
PLACE_COLUMNS = [
    Column("address", text(200)),
    Column("city", text(100)),
    Column("state", state_code),
    Column("zip_code", zip_code),
    Column("latitude", number(-90, 90)),
    Column("longitude", number(-180, 180)),
]


def name_key(name: str) -> str:
    return " ".join(name.split()).lower()


class CommunityImporter(ModelImporter):
    def __init__(self, *, actor, community):
        super().__init__(actor=actor, community=community)
        require(
            can_manage_community(viewer_of(actor), community), _("Only co-chairs import into a community.")
        )

    @cached_property
    def nullable(self) -> frozenset[str]:
        return frozenset(field.name for field in self.model._meta.fields if field.null)

    def model_values(self, values: dict) -> dict:
        """Blank cells are empty text, or None for fields that may be null."""
        nullable = self.nullable
        return {k: ("" if v is None and k not in nullable else v) for k, v in values.items()}

    @staticmethod
    def check_named_place(row: ParsedRow, errors_of) -> None:
        """Tidy the spacing of the row's name, place it by its ZIP code, and add `errors_of(values)`, the rules
        across its fields (organizations and resources)."""
        values = row.values
        values["name"] = " ".join(values["name"].split())
        fill_coordinates(values)
        for name, message in errors_of(values).items():
            row.errors.append(RowError(row.number, name, str(message)))


class AtTheTableImporter(CommunityImporter):
    """Rows that each name, in their `organization` column, an organization at the table (people, resources).

    `organizations` maps a name's key to the organization, `organizations_by_pk` its id; with
    `prefetch_memberships` they carry their memberships (what `can_edit_organization` reads) for an actor.
    """

    organization_column = Column(
        "organization", text(200), required=True, help="The name of an organization at the table."
    )
    prefetch_memberships = False

    def __init__(self, *, actor, community):
        super().__init__(actor=actor, community=community)
        organizations = Organization.objects.in_community(community).only("pk", "name")
        if actor is not None and self.prefetch_memberships:
            organizations = organizations.prefetch_related("memberships")
        self.organizations = {name_key(org.name): org for org in organizations}
        self.organizations_by_pk = {org.pk: org for org in self.organizations.values()}

    def check_organization(self, row: ParsedRow) -> bool:
        """Put the id of the organization the row names among its values; say so when none of that name sits."""
        organization = self.organizations.get(name_key(row.values.pop("organization")))
        if organization is None:
            row.errors.append(
                RowError(row.number, "organization", _("no organization of this name is at the table"))
            )
            return False
        row.values["organization_id"] = organization.pk
        return True

    def audit_scope(self, record) -> dict:
        organization_id = record["organization_id"] if isinstance(record, dict) else record.organization_id
        return {"community_id": self.community.pk, "organization_id": organization_id}


class OrganizationImporter(CommunityImporter):
    """Organizations, matched to those at the table by name (case and spacing ignored)."""

    kind = "organizations"
    model = Organization
    key_column = "name"
    columns = [
        Column("name", text(200), required=True, help="The organization's name; an existing one is updated."),
        Column("sector", choice(Sector.choices), required=True, help="public, private or nonprofit"),
        Column(
            "category", choice(CATEGORY_CHOICES), required=True, help="A stakeholder category code or label."
        ),
        Column(
            "level",
            choice(GovernmentLevel.choices),
            help="For public bodies: local, state, federal or tribal.",
        ),
        Column("ci_sector", choice(CI_SECTOR_CHOICES), help="A critical infrastructure sector."),
        Column("employees", integer(0, 10_000_000)),
        *PLACE_COLUMNS,
        Column("website", _url),
    ]

    def __init__(self, *, actor, community):
        super().__init__(actor=actor, community=community)
        self.has_members = Membership.objects.filter(community=community).exists()

    def key(self, values) -> str:
        return name_key(values["name"])

    def check(self, row: ParsedRow) -> None:
        self.check_named_place(row, organization_errors)

    def find_existing(self, rows: list[Row]) -> None:
        if not self.has_members:
            return
        organizations = (
            self.matchable(Organization.objects.in_community(self.community))
            .annotate(lname=Lower("name"))
            .filter(lname__in=[row.key for row in rows])
        )
        if self.actor is not None:
            organizations = organizations.prefetch_related("memberships")  # for can_edit_organization
        matches = {org.lname: org for org in organizations}
        for row in rows:
            row.existing = matches.get(row.key)

    def may_create(self, values: dict) -> bool:
        return can_add_organization(self.viewer, self.community)

    def may_update(self, organization) -> bool:
        return can_edit_organization(self.viewer, organization)

    def describe(self, values: dict) -> str:
        return values["name"]

    def audit_scope(self, organization) -> dict:
        pk = organization["pk"] if isinstance(organization, dict) else organization.pk
        return {"community_id": self.community.pk, "organization_id": pk}

    def after_create(self, ids: list[int], values: list[dict]) -> None:
        now = timezone.now()
        rows = [(self.community.pk, pk, now, now) for pk in ids]
        insert_rows(Membership, ["community_id", "organization_id", "created", "updated"], rows)


class PersonImporter(AtTheTableImporter):
    """People, matched by e-mail within their organization, which must be at the table."""

    kind = "people"
    model = Person
    key_column = "email"
    columns = [
        AtTheTableImporter.organization_column,
        Column("first_name", text(100), required=True),
        Column("last_name", text(100), required=True),
        Column("title", text(150)),
        Column("email", email),
        Column("phone", text(40)),
        Column("mobile", text(40)),
        Column("role", choice(PersonRole.choices), help="member or admin"),
        Column(
            "contact_tlp",
            choice(TLP.choices),
            help="TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED; blank keeps an existing "
            "person's marking, and a new one is TLP:GREEN",
        ),
    ]

    # A blank role keeps an admin an admin: only a cell that names a role changes it.
    kept_when_blank = ("role",)
    prefetch_memberships = True

    def __init__(self, *, actor, community):
        super().__init__(actor=actor, community=community)
        # People's rows always carry a role, which only whoever may edit the organization sets.
        self.editable = {
            org.pk for org in self.organizations.values() if can_edit_organization(self.viewer, org)
        }

    def key(self, values) -> str:
        organization = values["organization_id"]
        if values.get("email"):
            return f"{organization}|{values['email']}"
        return f"{organization}|{values['first_name'].lower()}|{values['last_name'].lower()}"

    def check(self, row: ParsedRow) -> None:
        self.check_organization(row)

    def matchable(self, queryset):
        """A row matches by e-mail, so only people whose contact details the actor may see."""
        if self.actor is None:
            return queryset
        return queryset.visible_to(self.viewer).filter(queryset.tlp_q(self.viewer))

    def find_existing(self, rows: list[Row]) -> None:
        emails = [row.values["email"] for row in rows if row.values.get("email")]
        if not emails:
            return
        # Cells are lower-cased and e-mails are unique whatever their case, so match them lower-cased.
        people = (
            Person.objects.annotate(lemail=Lower("email"))
            .filter(organization_id__in={r.values["organization_id"] for r in rows}, lemail__in=emails)
            .annotate(matchable=Exists(self.matchable(Person.objects.filter(pk=OuterRef("pk")))))
        )
        matches = {f"{p.organization_id}|{p.lemail}": p for p in people}
        for row in rows:
            person = matches.get(row.key)
            if person is None or person.matchable:
                row.existing = person
            else:
                # The e-mail is taken in that organization, so no new person can have it; say only
                # what a key the actor may not write gets, not that someone hidden has it.
                row.error = no_such_record(row, self.key_column)

    def may_create(self, values: dict) -> bool:
        return values["organization_id"] in self.editable

    def may_update(self, person) -> bool:
        return person.organization_id in self.editable

    def describe(self, values: dict) -> str:
        return f"{values['first_name']} {values['last_name']}"
