"""Record, change, verify and remove resources and sharing agreements; every write audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.communities.services import check_seated
from commonground.core.services import (
    owned_record_create,
    owned_record_delete,
    owned_record_update,
    viewer_of,
)
from commonground.core.timezones import community_today
from commonground.registry.geo import fill_coordinates
from commonground.registry.models import Organization

from .models import Agreement, Resource
from .permissions import can_add_agreement, can_add_resource, can_edit_agreement, can_edit_resource

RESOURCE_FIELDS = (
    "name", "description", "kind", "category", "capability_type", "capacity", "capacity_unit", "quantity",
    "unit", "person", "contact", "address", "city", "state", "zip_code", "latitude", "longitude",
    "availability", "deploy_hours", "terms", "tlp", "disclosed_in_incidents", "verified_on",
)  # fmt: skip
RECIPIENT_FIELDS = ("recipient_organizations", "recipient_people")
AGREEMENT_FIELDS = ("title", "kind", "terms", "starts_on", "ends_on", "document", "tlp")
AGREEMENT_RELATED = ("parties", "resources", "recipient_organizations")


def _check_people(resource: Resource) -> None:
    errors = {}
    for name in ("person", "contact"):
        person = getattr(resource, name)
        if person is not None and person.organization_id != resource.organization_id:
            errors[name] = _("Choose someone from %(organization)s.") % {
                "organization": resource.organization
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def resource_create(*, actor, community, organization: Organization, **data: Any) -> Resource:
    """Record what an organization can offer; its admin, a co-chair, or a facilitator."""
    resource = Resource(
        community=community, organization=organization, verified_on=community_today(community)
    )

    def check(related: dict[str, Any]) -> None:
        check_seated(community, organization)
        _check_people(resource)

    return owned_record_create(
        actor=actor, instance=resource, data=data, fields=RESOURCE_FIELDS, related=RECIPIENT_FIELDS,
        allowed=can_add_resource(viewer_of(actor), community, organization),
        denied=_("Only the organization's admin or a co-chair records its resources."),
        prepare=fill_coordinates, check=check,
    )  # fmt: skip


@transaction.atomic
def resource_update(*, actor, resource: Resource, data: dict[str, Any]) -> Resource:
    """Change a resource; whoever may record it."""

    def locate(fields: dict[str, Any]) -> None:
        if "zip_code" in fields and fields.get("zip_code") != resource.zip_code and "latitude" not in fields:
            fields.update(latitude=None, longitude=None)
        fill_coordinates(fields)

    return owned_record_update(
        actor=actor, instance=resource, data=data, fields=RESOURCE_FIELDS, related=RECIPIENT_FIELDS,
        allowed=can_edit_resource(viewer_of(actor), resource),
        denied=_("Only the organization's admin or a co-chair changes its resources."),
        prepare=locate, check=lambda related: _check_people(resource),
    )  # fmt: skip


@transaction.atomic
def resource_verify(*, actor, resource: Resource) -> Resource:
    """Confirm that a resource's record is still true today."""
    return resource_update(
        actor=actor, resource=resource, data={"verified_on": community_today(resource.community)}
    )


@transaction.atomic
def resource_delete(*, actor, resource: Resource) -> None:
    """Remove a resource from the database; whoever may record it."""
    owned_record_delete(
        actor=actor, instance=resource, allowed=can_edit_resource(viewer_of(actor), resource),
        denied=_("Only the organization's admin or a co-chair removes its resources."),
    )  # fmt: skip


def _check_agreement(agreement: Agreement, parties, resources) -> None:
    errors = {}
    party_ids = {p.pk for p in parties}
    if len(party_ids) < 2:
        errors["parties"] = _("An agreement has at least two parties.")
    elif agreement.organization_id not in party_ids:
        errors["parties"] = _("The organization recording the agreement must be one of its parties.")
    outside = [r for r in resources if r.organization_id not in party_ids]
    if outside:
        errors["resources"] = _("%(name)s is not held by a party to the agreement.") % {"name": outside[0]}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_create(
    *, actor, community, organization: Organization, parties, resources=(), recipient_organizations=(), **data
) -> Agreement:
    """Record a sharing agreement between organizations at the table."""
    parties, resources = list(parties), list(resources)
    agreement = Agreement(community=community, organization=organization)
    return owned_record_create(
        actor=actor, instance=agreement, fields=AGREEMENT_FIELDS, related=AGREEMENT_RELATED,
        data={**data, "parties": parties, "resources": resources, "recipient_organizations": recipient_organizations},
        allowed=can_add_agreement(viewer_of(actor), community, organization),
        denied=_("Only a party's admin or a co-chair records agreements."),
        check=lambda related: _check_agreement(agreement, parties, resources),
    )  # fmt: skip


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, data: dict[str, Any]) -> Agreement:
    """Change an agreement: its terms, dates, parties, resources or document."""

    def check(related: dict[str, Any]) -> None:
        parties = list(related.get("parties", agreement.parties.all()))
        resources = list(related.get("resources", agreement.resources.all()))
        _check_agreement(agreement, parties, resources)

    return owned_record_update(
        actor=actor, instance=agreement, data=data, fields=AGREEMENT_FIELDS,
        related=AGREEMENT_RELATED,
        allowed=can_edit_agreement(viewer_of(actor), agreement),
        denied=_("Only a party's admin or a co-chair changes agreements."), check=check,
    )  # fmt: skip


@transaction.atomic
def agreement_delete(*, actor, agreement: Agreement) -> None:
    document = agreement.document
    owned_record_delete(
        actor=actor, instance=agreement, allowed=can_edit_agreement(viewer_of(actor), agreement),
        denied=_("Only a party's admin or a co-chair removes agreements."),
    )  # fmt: skip
    if document:
        # The file goes only when the row does: a rolled-back delete must find its document again.
        storage, name = document.storage, document.name
        transaction.on_commit(lambda: storage.delete(name))
