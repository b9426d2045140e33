"""Who may act on another user's login (a user's own account is theirs alone: `services.profile.require_self`)."""

from commonground.core.visibility import Viewer


def can_deactivate_user(viewer: Viewer, user) -> bool:
    """Deactivate a login: facilitators, over any active login but their own (an organization's admins
    remove their people instead: `registry.services.person_delete`)."""
    return viewer.is_facilitator and user is not None and user.is_active and user.pk != viewer.user_id
