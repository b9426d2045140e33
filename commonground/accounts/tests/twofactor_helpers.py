"""What the two-step sign-in tests share: signing in, enrolling, computing codes as the app would."""

import time
from base64 import b32encode
from binascii import unhexlify

import pyotp
from django_otp.plugins.otp_static.models import StaticToken

from commonground.accounts.twofactor import services

PASSWORD = "a-long-test-password"


def login(client, user, address="10.1.1.1"):
    return client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address
    )


def code_for(key_hex: str, *, ahead: int = 0) -> str:
    """The code an authenticator app shows for this secret, `ahead` time steps from now."""
    return pyotp.TOTP(b32encode(unhexlify(key_hex)).decode()).at(time.time() + 30 * ahead)


def enrol(user) -> tuple[str, list[str]]:
    """Give the user an authenticator (through the service) and return its secret and recovery codes."""
    key = services.new_secret()
    _device, codes = services.totp_device_create(actor=user, key=key, code=code_for(key))
    return key, codes


def recovery_codes(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
