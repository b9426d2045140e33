"""Import resources from CSV or XLSX through the core import engine: row and column errors, all or nothing."""

from __future__ import annotations

from django.db.models.functions import Lower

from commonground.core.importing import Row
from commonground.core.tabular import Column, ParsedRow, choice, date, number, text
from commonground.core.timezones import community_today
from commonground.core.tlp import TLP
from commonground.registry.imports import PLACE_COLUMNS, AtTheTableImporter, name_key

from .choices import CATEGORY_CHOICES, Availability, CapabilityType, ResourceKind, SharingTerms
from .models import Resource, resource_errors
from .permissions import can_add_resource, can_edit_resource


class ResourceImporter(AtTheTableImporter):
    """Resources of the organizations at the table, matched by organization and name."""

    kind = "resources"
    model = Resource
    key_column = "name"
    columns = [
        AtTheTableImporter.organization_column,
        Column("name", text(200), required=True, help="An existing resource of this name is updated."),
        Column("description", text(4000)),
        Column("kind", choice(ResourceKind.choices), required=True, help="personnel, team, equipment, supply or facility"),
        Column("category", choice(CATEGORY_CHOICES), required=True, help="esf1 to esf15, or the ESF's label"),
        Column("capability_type", choice([(str(v), str(v)) for v in CapabilityType.values]), help="1 to 4"),
        Column("capacity", number(0, 1e12)),
        Column("capacity_unit", text(20)),
        Column("quantity", number(0, 1e12), help="At least 0; blank means 1."),
        Column("unit", text(40)),
        *PLACE_COLUMNS,
        Column("availability", choice(Availability.choices)),
        Column("deploy_hours", number(0, 24 * 365)),
        Column("terms", choice(SharingTerms.choices)),
        Column("tlp", choice([(v, v) for v in (TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT)]),
               help="TLP:CLEAR, TLP:GREEN, TLP:AMBER or TLP:AMBER+STRICT (TLP:RED needs named people); "
                    "blank keeps an existing resource's marking, and a new one is TLP:GREEN"),
        Column("verified_on", date, help="YYYY-MM-DD; blank means today."),
    ]  # fmt: skip

    def __init__(self, *, actor, community):
        super().__init__(actor=actor, community=community)
        self.has_resources = Resource.objects.filter(community=community).exists()
        self.today = community_today(community)

    def key(self, values) -> str:
        return f"{values['organization_id']}|{name_key(values['name'])}"

    def check(self, row: ParsedRow) -> None:
        if not self.check_organization(row):
            return
        values = row.values
        values["community_id"] = self.community.pk
        if "capability_type" in values:
            values["capability_type"] = int(values["capability_type"]) if values["capability_type"] else None
        for name, default in (
            ("quantity", 1.0), ("availability", Availability.AVAILABLE), ("terms", SharingTerms.LOAN),
            ("verified_on", self.today),
        ):  # fmt: skip
            if values.get(name) in (None, ""):
                values[name] = default
        self.check_named_place(row, resource_errors)

    def find_existing(self, rows: list[Row]) -> None:
        if not self.has_resources:
            return
        # A resource the actor may not see is no match: the row creates a new one, as for a name nobody
        # used, so that the answer does not reveal it (resources' names need not be unique).
        resources = (
            self.matchable(Resource.objects.filter(community=self.community))
            .filter(organization_id__in={row.values["organization_id"] for row in rows})
            .annotate(lname=Lower("name"))
            .filter(lname__in=[name_key(row.values["name"]) for row in rows])
        )
        matches = {}
        for resource in resources:
            # The permission reads these two; give them from memory rather than a query per row.
            resource.community = self.community
            resource.organization = self.organizations_by_pk[resource.organization_id]
            matches[f"{resource.organization_id}|{resource.lname}"] = resource
        for row in rows:
            row.existing = matches.get(row.key)

    def may_create(self, values: dict) -> bool:
        return can_add_resource(
            self.viewer, self.community, self.organizations_by_pk[values["organization_id"]]
        )

    def may_update(self, resource) -> bool:
        return can_edit_resource(self.viewer, resource)

    def describe(self, values: dict) -> str:
        return values["name"]
