"""Signed, expiring invitation tokens: the link in the invitation e-mail."""

from datetime import timedelta

from django.conf import settings
from django.core import signing

SALT = "commonground.registry.invitation"


class InvalidToken(Exception):
    """The link was altered, is not ours, or is too old."""

    def __init__(self, message: str, expired: bool = False):
        super().__init__(message)
        self.expired = expired


def make_token(invitation) -> str:
    """Return the token that names an invitation and proves we issued it."""
    return signing.dumps({"i": invitation.pk, "e": invitation.email.lower()}, salt=SALT, compress=True)


def read_token(token: str) -> dict:
    """Return the token's content; raise InvalidToken when it is tampered with or expired."""
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    try:
        return signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidToken("This invitation has expired; ask for a new one.", expired=True) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidToken("This invitation link is not valid.") from None
