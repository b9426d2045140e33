"""Import nominations of essential employees from CSV or XLSX, through the core import engine.

Every row is checked first (the organization, the nominee by e-mail among its people, its enrolled
facilities by name or id, the program's rules) and a file with any bad row writes nothing; each good row
is then written by `services.nomination_create`, the one writer of a nomination, in the engine's
transaction. The photo is not imported: it is added to each nomination later.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from commonground.core.importing import Importer, ImportReport, Row, errors_from_validation
from commonground.core.services import require, viewer_of
from commonground.core.tabular import Column, ParsedRow, RowError, choice, email, integer, text
from commonground.registry.imports import name_key
from commonground.registry.models import Organization, Person

from . import permissions, services
from .choices import PERSONAL_KINDS, CredentialKind, CriticalReason
from .models import Facility

# The service's field names, as the file's columns name them.
COLUMN_OF = {"person": "email", "facilities": "facility", "__all__": ""}


class NominationImporter(Importer):
    """Nominations by an organization's admin (for that organization) or a co-chair (for any at the table)."""

    kind = "credential-nominations"
    key_column = "email"
    batch_size = 200
    columns = [
        Column("organization", text(200), help="The nominating organization's name or id; blank for your own."),
        Column("name", text(200), help="The nominee's name, as the organization's people list has it."),
        Column(
            "email", email,
            help="The e-mail of a person of the organization (needed for a standard, multi-facility or "
                 "all-areas card).",
        ),  # fmt: skip
        Column("job_role", text(150)),
        Column(
            "facility", text(2000), required=True,
            help="The name or id of a facility the organization enrolled; several, separated by ';', for a "
                 "multi-facility card.",
        ),  # fmt: skip
        Column(
            "reason", choice(CriticalReason.choices), required=True,
            help="damage_assessment, shutdown, vital_records, restoration or other",
        ),  # fmt: skip
        Column("reason_detail", text(2000)),
        Column("kind", choice(CredentialKind.choices), help="standard (when blank), flex, multi, all or placard"),
        Column("label", text(120), help="For a placard, the vehicle (plate, make); for a flex card, optional."),
        Column("virtual_days", integer(1, 365), help="For a virtual credential: the days it is valid."),
    ]  # fmt: skip

    def __init__(self, *, actor, community):
        super().__init__(actor=actor, community=community)
        self.viewer = viewer_of(actor)
        require(
            permissions.can_enrol(self.viewer, community),
            _("Only organization admins and co-chairs import nominations."),
        )
        self.program = services.program_of(community)
        organizations = [
            org
            for org in Organization.objects.in_community(community).only("pk", "name")
            if permissions.can_enrol(self.viewer, community, org)
        ]
        # Two organizations whose names read alike are named by id instead: their name answers neither.
        names = Counter(name_key(org.name) for org in organizations)
        self.organizations = {
            name_key(org.name): org for org in organizations if names[name_key(org.name)] == 1
        }
        self.ambiguous_names = {name for name, count in names.items() if count > 1}
        self.organizations_by_pk = {org.pk: org for org in organizations}
        self.facilities: dict[tuple[int, str], Facility] = {}
        self.facilities_by_pk: dict[int, Facility] = {}
        for facility in Facility.objects.filter(
            community=community, organization_id__in=self.organizations_by_pk
        ):
            self.facilities[facility.organization_id, str(facility.pk)] = facility
            self.facilities.setdefault((facility.organization_id, name_key(facility.name)), facility)
            self.facilities_by_pk[facility.pk] = facility
        self.people: dict[tuple[int, str], Person] = {}

    def key(self, values: dict) -> str:
        if values.get("person_id"):
            return f"{values['organization_id']}|{values['email']}"
        return f"row {values['row']}"

    def _organization(self, row: ParsedRow) -> Organization | None:
        cell = row.values.pop("organization", "")
        if cell.isdigit():
            organization = self.organizations_by_pk.get(int(cell))
        elif cell:
            organization = self.organizations.get(name_key(cell))
        else:
            organization = self.organizations_by_pk.get(self.viewer.organization_id)
        if organization is None:
            if name_key(cell) in self.ambiguous_names:
                message = _("several organizations at the table have this name: give the organization's id")
            elif cell:
                message = _("no organization of this name at the table that you may nominate for")
            else:
                message = _("name the nominating organization")
            row.errors.append(RowError(row.number, "organization", message))
        return organization

    def _person(self, row: ParsedRow, organization: Organization) -> Person | None:
        address, name = row.values.get("email", ""), row.values.get("name", "")
        if not address:
            return None
        key = (organization.pk, address)
        if key not in self.people:
            # Only the nominating organization's people: someone of another organization is "no person".
            for person in Person.objects.filter(organization=organization, email__iexact=address):
                self.people[key] = person
        person = self.people.get(key)
        if person is None:
            row.errors.append(
                RowError(
                    row.number, "email", _("no person of this organization has this e-mail; add them first")
                )
            )
        elif name and name_key(name) != name_key(f"{person.first_name} {person.last_name}"):
            row.errors.append(
                RowError(row.number, "name", _("is not the name of the person with this e-mail"))
            )
        return person

    def _facilities(self, row: ParsedRow, organization: Organization) -> list[Facility]:
        found = []
        for part in filter(None, (p.strip() for p in row.values.pop("facility", "").split(";"))):
            facility = self.facilities.get((organization.pk, name_key(part)))
            if facility is None:
                row.errors.append(
                    RowError(
                        row.number, "facility",
                        _("'%(name)s' is not a facility the organization enrolled") % {"name": part[:60]},
                    )
                )  # fmt: skip
            elif facility not in found:
                found.append(facility)
        return found

    def check(self, row: ParsedRow) -> None:
        values = row.values
        values["row"] = row.number
        if self.program is None:
            row.errors.append(
                RowError(row.number, "", _("the co-chairs have not set up the credential program"))
            )
            return
        organization = self._organization(row)
        if organization is None:
            return
        kind = values.get("kind") or CredentialKind.STANDARD
        person = self._person(row, organization)
        facilities = self._facilities(row, organization)
        if row.errors:
            return
        if kind in PERSONAL_KINDS and person is None:
            row.errors.append(RowError(row.number, "email", _("a personal card needs the nominee's e-mail")))
            return
        errors = services.nomination_errors(
            program=self.program, community=self.community, organization=organization, kind=kind,
            facilities=facilities, person=person, label=values.get("label", ""),
            virtual_days=values.get("virtual_days"),
        )  # fmt: skip
        for field, message in errors.items():
            row.errors.append(RowError(row.number, COLUMN_OF.get(field, field), str(message)))
        values.update(
            kind=kind, organization_id=organization.pk, person_id=person.pk if person else None,
            facility_ids=[f.pk for f in facilities],
        )  # fmt: skip

    def write(self, rows: list[Row], report: ImportReport) -> None:
        for row in rows:
            values = row.values
            try:
                services.nomination_create(
                    actor=self.actor, community=self.community,
                    organization=self.organizations_by_pk[values["organization_id"]],
                    person=self.people.get((values["organization_id"], values.get("email", ""))),
                    kind=values["kind"], facilities=[self.facilities_by_pk[pk] for pk in values["facility_ids"]],
                    reason=values["reason"], job_role=values.get("job_role", ""),
                    reason_detail=values.get("reason_detail", ""), label=values.get("label", ""),
                    virtual_days=values.get("virtual_days"),
                )  # fmt: skip
            except ValidationError as error:
                for item in errors_from_validation(row.number, error):
                    report.add_error(
                        RowError(item.row, COLUMN_OF.get(item.column, item.column), item.message)
                    )
            except PermissionDenied as error:
                report.add_error(RowError(row.number, "organization", str(error)))
            else:
                report.created += 1
