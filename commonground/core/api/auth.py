from axes.handlers.proxy import AxesProxyHandler
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (throttled, and locked out like the login page)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"
    # The credentials are in the body: a browser's session (and its CSRF check) has no part here.
    authentication_classes = []

    def post(self, request, *args, **kwargs):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if AxesProxyHandler.is_locked(request._request, {"username": username}):
            detail = _("Too many failed attempts with this username from this address; try again later.")
            return Response({"detail": detail}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        return super().post(request, *args, **kwargs)
