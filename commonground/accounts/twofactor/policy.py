"""Who must sign in in two steps, and where a signed-in session stands.

Facilitators must, unless TWO_FACTOR_REQUIRED_FOR_FACILITATORS is off. Apps above this one add their own
rules with `register_requirement` from their `AppConfig.ready()` (communities: a community that requires
it of its co-chairs and organization admins). A session's standing is worked out when it signs in and again
every TWO_FACTOR_POLICY_RECHECK_SECONDS, and kept in the session, so a page costs no query for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

STATE_KEY = "twofactor_state"
CLEAR = "clear"  # no second step: no authenticator, and no rule asks for one
ENROL = "enrol"  # a rule asks for one and there is none yet
VERIFY = "verify"  # an authenticator is set up: the code step comes before anything else

_requirements: list[Callable[[object], bool]] = []


def register_requirement(check: Callable[[object], bool]) -> None:
    """Add a rule: `check(user)` answers whether the user must sign in in two steps."""
    if check not in _requirements:
        _requirements.append(check)


def required_for(user) -> bool:
    """Return whether a rule asks this user for a second step."""
    if getattr(user, "is_facilitator", False) and settings.TWO_FACTOR_REQUIRED_FOR_FACILITATORS:
        return True
    return any(check(user) for check in _requirements)


def has_authenticator(user) -> bool:
    """An authenticator app or a passkey (recovery codes alone are not one)."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def standing_of(user) -> str:
    if has_authenticator(user):
        return VERIFY
    return ENROL if required_for(user) else CLEAR


def remember(request, state: str) -> None:
    request.session[STATE_KEY] = [state, int(time.time())]


def forget(request) -> None:
    request.session.pop(STATE_KEY, None)


def session_standing(request) -> str:
    """Return the standing of the signed-in user of this request, read again once it is old."""
    kept = request.session.get(STATE_KEY)
    fresh = (
        isinstance(kept, list)
        and len(kept) == 2
        and kept[0] in (CLEAR, ENROL, VERIFY)
        and isinstance(kept[1], int)
        and 0 <= time.time() - kept[1] < settings.TWO_FACTOR_POLICY_RECHECK_SECONDS
    )
    if fresh:
        return kept[0]
    state = standing_of(request.user)
    remember(request, state)
    return state


@receiver(user_logged_in, dispatch_uid="twofactor_standing_at_login")
def _standing_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember(request, standing_of(user))
