"""The accounts' writes: facilitators, the profile, signed-in sessions and API tokens."""

from .facilitators import facilitator_add, facilitator_remove, password_link
from .leaving import access_end, user_deactivate
from .profile import email_change_confirm, email_change_request, user_profile_update
from .sessions import session_end, session_record, sessions_end
from .tokens import token_create, token_revoke, tokens_revoke

__all__ = [
    "access_end",
    "email_change_confirm",
    "email_change_request",
    "facilitator_add",
    "facilitator_remove",
    "password_link",
    "session_end",
    "session_record",
    "sessions_end",
    "token_create",
    "token_revoke",
    "tokens_revoke",
    "user_deactivate",
    "user_profile_update",
]
