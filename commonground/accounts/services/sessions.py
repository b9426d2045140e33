"""The browsers signed in as a user: recorded as they sign in, seen as they come back, ended from the profile
or when the user leaves.

The session store (database, cache or both: SESSION_ENGINE) keeps the sessions themselves and cannot list a
user's; `SignedInSession` keeps one row per session, by key, so they can be listed and ended through the
store's own API.
"""

from __future__ import annotations

import ipaddress
import time
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.api.auth import client_address
from commonground.core.services import require, viewer_of

from ..models import SignedInSession

# Kept in the session itself, so that a request costs no query until it is time to say it was seen.
SEEN = "_cg_seen"  # when the row last heard of this session (seconds since the epoch)
KEY = "_cg_key"  # the key the row knows it by (logging in and a password change give the session a new one)
SEEN_EVERY = 60


def session_store():
    """Return the configured engine's SessionStore class."""
    return import_module(settings.SESSION_ENGINE).SessionStore


def _address(request) -> str | None:
    try:
        return str(ipaddress.ip_address(client_address(request) or ""))
    except ValueError:
        return None


def session_record(*, request, user) -> SignedInSession | None:
    """Keep the row of the session a user just signed in with (or one signed in before rows were kept)."""
    session = request.session
    if session.session_key is None:
        session.save()
    if session.session_key is None:  # a store without keys (signed cookies) cannot be listed or ended
        return None
    now = timezone.now()
    row, _created = SignedInSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ip_address": _address(request),
            "signed_in_at": now,
            "last_seen": now,
            "expires_at": session.get_expiry_date(),
        },
    )
    SignedInSession.objects.filter(user=user, expires_at__lt=now).delete()
    session[SEEN], session[KEY] = int(time.time()), session.session_key
    return row


def session_seen(request) -> None:
    """Note, at most every SEEN_EVERY seconds, that a signed-in session came back (and under which key)."""
    session = request.session
    key = session.session_key
    seen = session.get(SEEN)
    if key is None or (seen is not None and time.time() - seen < SEEN_EVERY and session.get(KEY) == key):
        return
    now = timezone.now()
    updated = SignedInSession.objects.filter(user=request.user, session_key=session.get(KEY) or key).update(
        session_key=key, last_seen=now, expires_at=session.get_expiry_date()
    )
    if updated:
        session[SEEN], session[KEY] = int(time.time()), key
    else:
        session_record(request=request, user=request.user)


def session_forget(request) -> None:
    """Drop the row of a session that logged out (the store flushes the session itself)."""
    key = request.session.get(KEY) or request.session.session_key
    if key:
        SignedInSession.objects.filter(session_key=key).delete()


def _end(actor, rows) -> int:
    store = session_store()()
    for row in rows:
        store.delete(row.session_key)
        audit.record_delete(actor, row)
        row.delete()
    return len(rows)


def _require_may_end(actor, user) -> None:
    require(
        actor is None or getattr(actor, "pk", None) == user.pk or viewer_of(actor).is_facilitator,
        _("Only you may end your sessions."),
    )


@transaction.atomic
def session_end(*, actor, session: SignedInSession) -> None:
    """End one signed-in session of a user: its browser is signed out at its next request."""
    _require_may_end(actor, session.user)
    _end(actor, [session])


@transaction.atomic
def sessions_end(*, user, actor=None, except_key: str | None = None) -> int:
    """End every signed-in session of a user but the one keyed `except_key` (the caller's own, when the user
    ends their others); leaving a partnership calls it with none kept. Return how many ended."""
    _require_may_end(actor, user)
    rows = SignedInSession.objects.select_for_update().filter(user=user)
    if except_key:
        rows = rows.exclude(session_key=except_key)
    return _end(actor, list(rows))
