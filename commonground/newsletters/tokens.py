"""The one-click unsubscribe link of a newsletter (RFC 8058): a signed token naming the login, with no expiry
(a mail read a year later still unsubscribes), and no other secret in it."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "commonground.newsletters.unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=SALT, compress=True)


def user_of_token(token: str):
    """Return the login a token names, or None for a token that is forged, damaged or whose login changed
    address since."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = get_user_model().objects.filter(pk=data.get("u")).first()
    if user is None or user.email.lower() != data.get("e"):
        return None
    return user


def unsubscribe_url(user) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "newsletters:unsubscribe", kwargs={"token": unsubscribe_token(user)}
    )
