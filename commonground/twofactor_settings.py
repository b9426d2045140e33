"""Two-step sign-in's settings (accounts/twofactor, django-otp, django-otp-webauthn)."""

import os
from urllib.parse import urlsplit

from .env import env_bool

# What settings.py takes from here (passkey_relying_party it calls itself, with SITE_URL).
__all__ = [
    "OTP_STATIC_THROTTLE_FACTOR", "OTP_TOTP_ISSUER", "OTP_TOTP_THROTTLE_FACTOR",
    "OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN", "OTP_WEBAUTHN_RP_NAME", "SILENCED_SYSTEM_CHECKS",
    "TWO_FACTOR_POLICY_RECHECK_SECONDS", "TWO_FACTOR_RECOVERY_CODES", "TWO_FACTOR_REQUIRED_FOR_FACILITATORS",
]  # fmt: skip

# Two-step sign-in (accounts/twofactor): a code from an authenticator app (TOTP) or a recovery code after
# the password. Facilitators must use it unless TWO_FACTOR_REQUIRED_FOR_FACILITATORS is off (`commonground
# demo` turns it off: its logins are published); a community may require it of its co-chairs and
# organization admins. The policy a session falls under is read again every TWO_FACTOR_POLICY_RECHECK_SECONDS.
# A token in use is not affected (it is a credential of its own), but getting one with a password
# (/api/v1/auth/token/) asks such a login for its code too.
TWO_FACTOR_REQUIRED_FOR_FACILITATORS = env_bool("TWO_FACTOR_REQUIRED_FOR_FACILITATORS", True)
TWO_FACTOR_POLICY_RECHECK_SECONDS = int(os.environ.get("TWO_FACTOR_POLICY_RECHECK_SECONDS", "300"))
TWO_FACTOR_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Common Ground")
# Each wrong code doubles the wait before the device accepts another (1 s, 2 s, 4 s ...), whatever the password.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Passkeys (WebAuthn, django-otp-webauthn) as the second step: bound to SITE_URL's host name (the relying
# party); a browser refuses an IP address and plain http other than localhost, so passkeys are offered only
# where SITE_URL is https or http://localhost (then the allowed origin is SITE_URL's own). Never a passkey
# instead of the password: the password comes first.
OTP_WEBAUTHN_RP_NAME = "Common Ground"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False


def passkey_relying_party(site_url: str) -> tuple[str, list[str]]:
    """Return the relying party's id (SITE_URL's host name) and the origins passkeys are offered on."""
    site = urlsplit(site_url)
    secure = site.scheme == "https" or (site.scheme == "http" and site.hostname == "localhost")
    return site.hostname or "localhost", [f"{site.scheme}://{site.netloc}"] if secure else []


# No allowed origin (an IP address or plain http SITE_URL) is not an error: passkeys are simply not offered.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]
