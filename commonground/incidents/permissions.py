"""Who may open, lead and take part in an incident."""

from __future__ import annotations

from commonground.core.visibility import Viewer

from .choices import PUBLIC_SAFETY_CATEGORIES


def can_open_incident(viewer: Viewer, community, organization=None) -> bool:
    """Co-chairs and facilitators open incidents, and the admins of a public-safety organization at the table
    (police, fire, EMS, emergency management, public health) open them in that organization's name."""
    if viewer.is_facilitator or viewer.is_cochair_of(community.pk):
        return True
    return (
        organization is not None
        and viewer.is_organization_admin
        and viewer.organization_id == organization.pk
        and community.pk in viewer.community_ids
        and organization.category in PUBLIC_SAFETY_CATEGORIES
    )


def can_lead_incident(viewer: Viewer, incident) -> bool:
    """The incident's leadership: the community's co-chairs, the opening organization's admins, facilitators.
    They change the incident, approve requests, propose and commit the plan, and close it."""
    if viewer.is_facilitator or viewer.is_cochair_of(incident.community_id):
        return True
    return viewer.is_organization_admin and viewer.organization_id == incident.organization_id


def can_request_resources(viewer: Viewer, incident, organization) -> bool:
    """Members of an organization at the table post requests in its name while the incident is open; the
    leadership may post for any organization."""
    if not incident.is_open:
        return False
    if can_lead_incident(viewer, incident):
        return True
    return viewer.organization_id == organization.pk and incident.community_id in viewer.community_ids


def can_edit_request(viewer: Viewer, request) -> bool:
    """The requesting organization's members (while a draft or submitted) and the incident's leadership."""
    if can_lead_incident(viewer, request.incident):
        return True
    return (
        viewer.organization_id == request.organization_id
        and request.incident.community_id in viewer.community_ids
    )


def can_answer_for_resource(viewer: Viewer, resource) -> bool:
    """The resource's owner accepts or declines its assignment: the holding organization's admins
    (and facilitators)."""
    if viewer.is_facilitator:
        return True
    return viewer.is_organization_admin and viewer.organization_id == resource.organization_id


def can_post_sitrep(viewer: Viewer, incident) -> bool:
    """Every organization at the table reports on the situation while the incident is open."""
    if viewer.is_facilitator or can_lead_incident(viewer, incident):
        return True
    return viewer.organization_id is not None and incident.community_id in viewer.community_ids
