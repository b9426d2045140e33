"""Keep a session that owes the second sign-in step to the pages that let it pay.

Runs after Django's AuthenticationMiddleware, django-otp's OTPMiddleware and the members-only check. A
signed-in session with an authenticator that has not given a code is sent to the code step; one whose
role requires two-step sign-in and that has no authenticator yet is sent to enrolment. Either reaches only
those pages, logout, public pages and static files meanwhile; the API answers such a session 403. A request
with an API token carries no session here (DRF authenticates it later) and is not affected.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import policy

# Pages a session that owes the step may reach (by URL name), besides public ones, by what it owes. A session
# with an authenticator pays with it (a code, a recovery code or a passkey) and reaches nothing that would set
# up another: otherwise a password alone could enrol the thief's own app and pass.
ALWAYS_OPEN = {"logout", "set_language", "otp_webauthn:js-i18n-catalog"}
OPEN_NAMES = {
    policy.VERIFY: ALWAYS_OPEN | {
        "twofactor:verify",
        # a passkey pays the second step
        "otp_webauthn:credential-authentication-begin", "otp_webauthn:credential-authentication-complete",
    },
    policy.ENROL: ALWAYS_OPEN | {
        "twofactor:enrol", "twofactor:recovery_codes", "twofactor:recovery_codes_download",
        # the library refuses to add a passkey to a session that owes the step unless it is enrolling
        "otp_webauthn:credential-registration-begin", "otp_webauthn:credential-registration-complete",
    },
}  # fmt: skip


async def _anonymous():
    return AnonymousUser()


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        state = policy.session_standing(request)
        if state == policy.CLEAR:
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in OPEN_NAMES[state]:
            return None
        if request.path.startswith("/static/"):
            return None
        is_api = request.path.startswith("/api/")
        if not is_api and getattr(view_func, "login_required", True) is False:
            # A public page (login, landing, password reset, the public alerts) shows what a visitor sees: a
            # view that reads the user (a feed that lets a member read AMBER) must not find one yet.
            request.user = AnonymousUser()
            request.auser = _anonymous
            return None
        if is_api:
            detail = _("Finish signing in (the second step) on the site first, or use an API token.")
            return JsonResponse({"detail": detail}, status=403)
        target = reverse("twofactor:verify" if state == policy.VERIFY else "twofactor:enrol")
        if request.method == "GET":
            target += "?next=" + quote(request.get_full_path())
        return redirect(target)
