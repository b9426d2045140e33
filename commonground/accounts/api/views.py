"""The token endpoint: a username and password exchanged for a named API token that expires."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from commonground.core.api.parsers import DEFAULT_PARSER_CLASSES

from ..services import token_create
from ..twofactor.api import token_second_step


class TokenRequestSerializer(AuthTokenSerializer):
    name = serializers.CharField(
        max_length=100, required=False, default="API", help_text=gettext_lazy("What the token is for.")
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy("The key: send it as `Authorization: Token <key>`."))
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenView(APIView):
    """Exchange a username and password for a named API token that expires (API_TOKEN_DEFAULT_DAYS), throttled
    and locked out like the login page. Each call makes a new token; the profile page lists and revokes them."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"
    # The credentials are in the body: a browser's session (and its CSRF check) has no part here.
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = DEFAULT_PARSER_CLASSES
    serializer_class = TokenRequestSerializer

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request, *args, **kwargs):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if AxesProxyHandler.is_locked(request._request, {"username": username}):
            detail = _("Too many failed attempts with this username from this address; try again later.")
            return Response({"detail": detail}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        # A login that signs in in two steps gets a token only with its second step too (a `code`).
        if (refusal := token_second_step(request, user)) is not None:
            return Response({"code": [refusal]}, status=status.HTTP_400_BAD_REQUEST)
        token, key = token_create(
            actor=user,
            user=user,
            name=serializer.validated_data["name"],
            days=settings.API_TOKEN_DEFAULT_DAYS,
        )
        return Response(
            TokenSerializer({"token": key, "name": token.name, "expires_at": token.expires_at}).data
        )
