from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle

from .parsers import DEFAULT_PARSER_CLASSES


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (throttled, and locked out like the login page)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"
    # The credentials are in the body: a browser's session (and its CSRF check) has no part here.
    authentication_classes = []
    # ObtainAuthToken names DRF's own parsers; the size and depth limits hold here too.
    parser_classes = DEFAULT_PARSER_CLASSES

    def post(self, request, *args, **kwargs):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if AxesProxyHandler.is_locked(request._request, {"username": username}):
            detail = _("Too many failed attempts with this username from this address; try again later.")
            return Response({"detail": detail}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        # A login that signs in in two steps gets a token only with its second step too (a `code`):
        # TOKEN_SECOND_STEP names the check (accounts.twofactor), as VIEWER_FACTORY names the viewer.
        refusal = (
            import_string(check)(request, user)
            if (check := getattr(settings, "TOKEN_SECOND_STEP", ""))
            else None
        )
        if refusal is not None:
            return Response({"code": [refusal]}, status=status.HTTP_400_BAD_REQUEST)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


def client_address(request) -> str | None:
    """Return the client's address as the throttles see it, so that lock-outs are keyed the same way.

    DRF believes X-Forwarded-For only as far as NUM_PROXIES (the TRUSTED_PROXIES setting) allows;
    with none trusted, a client cannot name a new address for each attempt.
    """
    return BaseThrottle().get_ident(request)
