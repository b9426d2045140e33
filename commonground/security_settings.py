"""The server's hardening: the content security policy, the proxies believed, the request size, HTTPS."""

import os
import re
from urllib.parse import urlsplit

from csp.constants import NONE, SELF

from .env import env_bool

# What settings.py takes from here (tile_origin is tested on its own).
__all__ = [
    "AXES_CLIENT_IP_CALLABLE", "CONTENT_SECURITY_POLICY", "CSRF_COOKIE_SECURE", "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "LANGUAGE_COOKIE_SECURE", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "SECURE_REFERRER_POLICY",
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE", "TRUSTED_PROXIES",
    "X_FRAME_OPTIONS",
]  # fmt: skip

DEBUG = env_bool("DEBUG", False)
# settings.MAP_TILE_URL, read again here: a tile server's origin is allowed to serve images.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")

# A body (other than uploaded files) over this size is refused with a 400 before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))
# How many proxies in front of the application may be believed about the client's address
# (X-Forwarded-For); 0 trusts none and keys throttles and lock-outs by the connecting address.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "commonground.core.api.auth.client_address"


def tile_origin(url_template: str) -> list[str]:
    """Return the origin of an XYZ tile URL for img-src ({s}.tile.example.org becomes *.tile.example.org)."""
    parts = urlsplit(url_template)
    if not parts.scheme or not parts.netloc:
        return []
    host = re.sub(r"\{[a-z]+\}", "*", parts.netloc)
    return [f"{parts.scheme}://{host}"]


# Every page's scripts and styles come from this server: no inline script, style or event handler.
# A <script type="application/json"> (json_script) is data and needs no allowance.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *tile_origin(MAP_TILE_URL)],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Production hardening: on unless DEBUG; a proxy that terminates TLS sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
