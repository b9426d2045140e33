"""The second step for the API's token endpoint (accounts.api.views.TokenView).

A password alone would otherwise buy a token that skips the code: a login with an authenticator must send
its current code (or a recovery code) as `code` beside the password, and one whose role requires two-step
sign-in but has no authenticator yet gets no token until it sets one up on the site. A wrong code counts as a
failed login for django-axes, as on the code page. A login whose only second step is a passkey (which
cannot be given here) gets its token from the profile page.
"""

from __future__ import annotations

from django.contrib.auth import user_login_failed
from django.utils.translation import gettext as _

from . import policy, services


def token_second_step(request, user) -> str | None:
    """Return why no token is given yet, or None when the request may have one."""
    if services.authenticator_device(user) is None:
        if services.passkeys_of(
            user
        ).exists():  # a passkey cannot be given here: the password alone is not enough
            return _("You sign in with a passkey: make a token on your profile page instead.")
        if policy.required_for(user):
            return _("Your role requires two-step sign-in: set it up on the site first.")
        return None
    code = request.data.get("code") if hasattr(request.data, "get") else None
    if not isinstance(code, str) or not code.strip():
        return _("Give the code from your authenticator app as well.")
    if services.verified_device(user=user, code=code) is None:
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request._request
        )
        return _("That code is not right, or came too soon after a wrong one; wait a moment.")
    return None
