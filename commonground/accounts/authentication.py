"""The API's token authentication: a user's named tokens, refused once expired or revoked."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .selectors import token_for_key
from .services.tokens import token_used


class ApiTokenAuthentication(TokenAuthentication):
    """Read `Authorization: Token <key>` as DRF's TokenAuthentication does, against `ApiToken`'s digests."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        # settings.API_TOKEN_READER may read the token with more of its user (the viewer, one statement); by
        # default `token_for_key`.
        reader = getattr(settings, "API_TOKEN_READER", None)
        token = _imported(reader)(key) if reader else token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token_used(token)
        return (token.user, token)


@cache
def _imported(path: str):
    return import_string(path)
