"""Add and change the people of an organization."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonground.accounts.leaving import Leaving, LeavingReason
from commonground.accounts.services import access_end
from commonground.core import audit
from commonground.core.services import (
    assign,
    check_marked_write,
    check_no_hidden_collision,
    require,
    validated_save,
    viewer_of,
)

from ..models import Person
from ..permissions import can_edit_organization, can_edit_person

PERSON_FIELDS = ("first_name", "last_name", "title", "role", "email", "phone", "mobile", "contact_tlp")
SELF_EDITABLE = {"first_name", "last_name", "title", "email", "phone", "mobile", "contact_tlp"}
ADD_DENIED = _("Only the organization's admin may add people.")
EDIT_DENIED = _("You may not edit this person.")


def _check_hidden_email(actor, person: Person, denied: str) -> None:
    if person.email:
        same = Person.objects.filter(organization_id=person.organization_id, email__iexact=person.email)
        check_no_hidden_collision(actor=actor, queryset=same.exclude(pk=person.pk), denied=denied)


@transaction.atomic
def person_create(*, actor, organization, **data: Any) -> Person:
    """Add a person to an organization; its admin, a co-chair of its community, or a facilitator."""
    require(can_edit_organization(viewer_of(actor), organization), ADD_DENIED)
    person = Person(organization=organization)
    assign(person, data, PERSON_FIELDS)
    _check_hidden_email(actor, person, ADD_DENIED)
    validated_save(person)
    audit.record_create(actor, person, organization_id=organization.pk)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict[str, Any]) -> Person:
    """Change a person's details; people edit their own contact details, admins the rest."""
    viewer = viewer_of(actor)
    require(can_edit_person(viewer, person), EDIT_DENIED)
    data = dict(data)
    check_marked_write(actor=actor, instance=person, data=data, denied=EDIT_DENIED)
    if not set(data) <= SELF_EDITABLE or "organization" in data:
        require(
            can_edit_organization(viewer, person.organization),
            _("Only the organization's admin may change a person's role or organization."),
        )
    new_organization = data.pop("organization", None)
    before = audit.snapshot(person)
    if new_organization is not None and new_organization.pk != person.organization_id:
        # Nobody moves a person into an organization they may not edit themselves.
        require(
            can_edit_organization(viewer, new_organization),
            _("You may not move people into that organization."),
        )
        # Moving is leaving the old organization: its tasks and TLP:RED records let the person go, and the
        # sessions and tokens that read as its member end (they sign in again as the new one's).
        access_end(
            actor=actor,
            leaving=Leaving(
                reason=LeavingReason.PERSON_REMOVED,
                person_ids=frozenset({person.pk}),
                organization_id=person.organization_id,
            ),
        )
        person.organization = new_organization
    assign(person, data, PERSON_FIELDS)
    _check_hidden_email(actor, person, EDIT_DENIED)
    validated_save(person)
    audit.record_update(actor, person, before, organization_id=person.organization_id)
    return person


@transaction.atomic
def person_delete(*, actor, person: Person) -> None:
    """Remove a person from the registry; their access ends at once (`accounts.services.access_end`).

    Their login, if any, stays, a former member's: it may sign in again and sees what a visitor sees.
    """
    require(
        can_edit_organization(viewer_of(actor), person.organization),
        _("Only the organization's admin may remove people."),
    )
    leaving = Leaving(
        reason=LeavingReason.PERSON_REMOVED,
        person_ids=frozenset({person.pk}),
        organization_id=person.organization_id,
    )
    access_end(actor=actor, leaving=leaving)
    audit.record_delete(actor, person, organization_id=person.organization_id)
    person.delete()
