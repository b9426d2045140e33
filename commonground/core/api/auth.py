from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (throttled, and locked out like the login page)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"
