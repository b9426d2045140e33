"""Writes to a user's two-step sign-in: set it up, replace the recovery codes, passkeys, turn it off. Audited.

Every service acts on the actor's own login only. The audit entry is about the user and says what changed
(on or off, codes replaced), never a secret or a code.
"""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from commonground.core import audit
from commonground.core.services import require, viewer_of

KEY_BYTES = 20
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def new_secret() -> str:
    """Return a new TOTP secret as django-otp keeps it (hex), for the enrolment page to hold until confirmed."""
    return random_hex(KEY_BYTES)


def secret_base32(key: str) -> str:
    """Return the secret as an authenticator app takes it typed in: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalize_code(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").lower()[:32]


def is_app_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def _require_signed_in(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to change your two-step sign-in."))


def _audit(actor, changes: dict) -> None:
    audit.record_update(actor, actor, audit.snapshot(actor), extra_changes=changes)


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    device.throttle_reset(commit=False)
    device.confirmed = True
    device.save()
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verified_device(*, user, code: str):
    """Return the user's device that accepts this code (a recovery code is used up), or None.

    Each device refuses codes for a while after a wrong one (django-otp's throttle: 1 s, 2 s, 4 s ...),
    kept in the database, so signing in with the password again does not lift it.
    """
    code = normalize_code(code)
    if not code:
        return None
    with transaction.atomic():
        devices = [
            *TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update(),
            *StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update(),
        ]
        for device in devices:
            # Six digits are for the app, anything else for the recovery list: a wrong guess slows one only.
            if isinstance(device, TOTPDevice) != is_app_code(code):
                continue
            if device.verify_token(code):
                return device
    return None


def authenticator_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_device_create(*, actor, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Set up the actor's authenticator app from the secret the page showed and a code it gave.

    Returns the device and the ten new recovery codes (shown once). A wrong code changes nothing.
    """
    _require_signed_in(actor)
    if TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).exists():
        raise ValidationError({"code": _("An authenticator app is already set up; turn it off first.")})
    try:
        secret = unhexlify(key)
    except (TypeError, ValueError):
        secret = b""
    if len(secret) != KEY_BYTES:
        raise ValidationError({"code": _("The set-up expired; scan the new code and try again.")})
    code = normalize_code(code)
    totp = TOTP(secret)
    if not (is_app_code(code) and totp.verify(int(code), tolerance=1)):
        raise ValidationError({"code": _("That code is not right; check the app's clock and try again.")})
    TOTPDevice.objects.filter(user=actor).delete()  # an unconfirmed one left by another tool
    device = TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, key=key, confirmed=True, last_t=totp.t())
    codes = _new_recovery_codes(actor)
    _audit(actor, {"two_factor": [False, True]})
    return device, codes


@transaction.atomic
def recovery_codes_regenerate(*, actor, code: str) -> list[str]:
    """Replace the actor's recovery codes (the old ones stop working), given a current code."""
    _require_signed_in(actor)
    if authenticator_device(actor) is None:
        raise ValidationError({"code": _("Set up an authenticator app first.")})
    if verified_device(user=actor, code=code) is None:
        raise ValidationError({"code": _("That code is not right.")})
    left = StaticToken.objects.filter(device__user=actor).count()
    codes = _new_recovery_codes(actor)
    _audit(actor, {"recovery_codes": [left, len(codes)]})
    return codes


@transaction.atomic
def two_factor_disable(*, actor, password: str = "", code: str = "") -> None:
    """Turn off the actor's two-step sign-in, given their password or a current code."""
    _require_signed_in(actor)
    if authenticator_device(actor) is None:
        raise ValidationError({"code": _("Two-step sign-in is not on.")})
    password_right = bool(password) and check_password(password, actor.password)
    if not password_right and (not code or verified_device(user=actor, code=code) is None):
        raise ValidationError({"password": _("Give your password or a current code.")})
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    WebAuthnCredential.objects.filter(user=actor).delete()
    _audit(actor, {"two_factor": [True, False]})


@transaction.atomic
def two_factor_reset(*, actor, user) -> None:
    """Turn off another login's two-step sign-in (a lost phone and no recovery codes): the operator's command
    (`commonground twofactor reset USERNAME`, actor None) or a facilitator. They sign in with the password
    alone again, and are asked to set up a new app where a rule requires it."""
    require(viewer_of(actor).is_facilitator, _("Only a facilitator may turn off another's two-step sign-in."))
    if (
        not TOTPDevice.objects.filter(user=user).exists()
        and not StaticDevice.objects.filter(user=user).exists()
        and not WebAuthnCredential.objects.filter(user=user).exists()
    ):
        raise ValidationError({"user": _("This login has no two-step sign-in.")})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    audit.record_update(actor, user, audit.snapshot(user), extra_changes={"two_factor": [True, False]})


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Passkeys (django-otp-webauthn): the library's views check and store a new one (passkeys.py), these name,
# audit and remove them. Each acts on the actor's own passkeys only; another's answers as if it did not exist.

PASSKEY_NAME_MAX = 64


def passkeys_available() -> bool:
    """Whether this installation can offer passkeys (SITE_URL is https, or http://localhost)."""
    return bool(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)


def passkeys_of(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def passkey_of(*, actor, passkey_id):
    """Return the actor's own passkey by its id, or None (another's and a missing one alike)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return WebAuthnCredential.objects.filter(user=actor, pk=passkey_id).first()


def passkey_recorded(*, actor, passkey) -> None:
    """Name and audit a passkey the library has just stored for the actor."""
    count = WebAuthnCredential.objects.filter(user=actor).count()
    if not passkey.name:
        passkey.name = _("Passkey %(number)s") % {"number": count}
        passkey.save(update_fields=["name"])
    _audit(actor, {"passkeys": [count - 1, count]})


@transaction.atomic
def passkey_rename(*, actor, passkey_id, name: str):
    _require_signed_in(actor)
    passkey = passkey_of(actor=actor, passkey_id=passkey_id)
    if passkey is None:
        raise PermissionDenied(_("No such passkey."))
    name = " ".join(str(name or "").split())
    if not name or len(name) > PASSKEY_NAME_MAX:
        raise ValidationError(
            {"name": _("Give a name of 1 to %(max)s characters.") % {"max": PASSKEY_NAME_MAX}}
        )
    old = passkey.name
    passkey.name = name
    passkey.save(update_fields=["name"])
    if old != name:
        _audit(actor, {"passkey_name": [old, name]})
    return passkey


@transaction.atomic
def passkey_delete(*, actor, passkey_id) -> None:
    _require_signed_in(actor)
    passkey = passkey_of(actor=actor, passkey_id=passkey_id)
    if passkey is None:
        raise PermissionDenied(_("No such passkey."))
    count = WebAuthnCredential.objects.filter(user=actor).count()
    passkey.delete()
    _audit(actor, {"passkeys": [count, count - 1]})
