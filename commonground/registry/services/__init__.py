"""Every write to the registry goes through these functions: pages, API, CLI and imports alike."""

from .invitations import invitation_accept, invitation_for_token, invitation_revoke, invitation_send
from .organizations import organization_create, organization_delete, organization_update
from .people import person_create, person_delete, person_update

__all__ = [
    "invitation_accept",
    "invitation_for_token",
    "invitation_revoke",
    "invitation_send",
    "organization_create",
    "organization_delete",
    "organization_update",
    "person_create",
    "person_delete",
    "person_update",
]
