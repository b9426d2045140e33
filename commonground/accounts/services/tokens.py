"""API tokens: a user's named keys with an expiry, made on the profile or by the token endpoint, revoked there
or when the user leaves. Only a key's SHA-256 is kept."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.services import require, validated_save, viewer_of

from ..models import ApiToken
from .profile import require_self

KEY_PREFIX = "cg_"  # so that a secret scanner (and a reader) knows a leaked key for what it is


def key_hash(key: str) -> str:
    """Return the digest a token is stored and looked up by."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Make a named token for a user that expires in `days` (API_TOKEN_DEFAULT_DAYS unless given); return it
    and its key, which is shown this once."""
    require_self(actor, user)
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not isinstance(days, int) or not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("Give a number of days from 1 to %(most)d.") % {"most": settings.API_TOKEN_MAX_DAYS}}
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=(name or "").strip(),
        key_hash=key_hash(key),
        prefix=key[:10],
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    validated_save(token)
    audit.record_create(actor, token)
    return token, key


def _revoke(actor, token: ApiToken) -> None:
    before = audit.snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record_update(actor, token, before)


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke one token of a user: it answers 401 from its next request."""
    require_self(actor, token.user)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        _revoke(actor, token)
    return token


@transaction.atomic
def tokens_revoke(*, user, actor=None) -> int:
    """Revoke every token of a user still in force (the user leaves, or asks for it); return how many."""
    require(
        actor is None or getattr(actor, "pk", None) == user.pk or viewer_of(actor).is_facilitator,
        _("Only you may revoke your tokens."),
    )
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        _revoke(actor, token)
    return len(tokens)


def token_used(token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute (not a write on every call)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
