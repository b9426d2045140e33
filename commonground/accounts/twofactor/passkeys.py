"""Passkeys as the second step: django-otp-webauthn's JSON endpoints, adapted, and the pages that name and
remove a passkey.

The endpoints live under /accounts/two-step/passkeys/ in the library's own namespace (`otp_webauthn`, which
its template tags reverse). Passwordless sign-in is off: a passkey only pays the second step of a session
that gave the password. A new passkey is named and audited as it is stored; a passkey that fails at the
code step counts as a failed login for django-axes, as a wrong code does.
"""

from __future__ import annotations

import json

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import user_login_failed
from django.db import transaction
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn

from commonground.core.views import ServiceFormView

from . import policy, services
from .forms import PasskeyDeleteForm, PasskeyRenameForm


class PasskeysUnavailable(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "passkeys_unavailable"


class RegistrationBegin(webauthn.BeginCredentialRegistrationView):
    def check_can_register(self):
        if not services.passkeys_available():
            raise PasskeysUnavailable(detail=_("Passkeys are not offered on this site's address."))


class RegistrationComplete(webauthn.CompleteCredentialRegistrationView):
    """Store the passkey (the library), then name and audit it in the same transaction."""

    def post(self, *args, **kwargs):
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            if response.status_code == 200:
                passkey = services.passkey_of(actor=self.request.user, passkey_id=self.created_id(response))
                services.passkey_recorded(actor=self.request.user, passkey=passkey)
        if self.request.user.is_verified():
            policy.remember(self.request, policy.VERIFY)
        return response

    @staticmethod
    def created_id(response) -> int:
        return int(json.loads(response.content)["id"])


class AuthenticationBegin(webauthn.BeginCredentialAuthenticationView):
    pass


class AuthenticationComplete(webauthn.CompleteCredentialAuthenticationView):
    """The code step paid with a passkey: a new session key, the device noted, the standing kept."""

    def credentials(self) -> dict:
        return {"username": self.request.user.get_username()}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and AxesProxyHandler.is_locked(request, self.credentials()):
            return JsonResponse({"detail": _("Too many failed attempts."), "code": "locked"}, status=403)
        response = super().dispatch(request, *args, **kwargs)
        if request.user.is_authenticated and response.status_code >= 400:
            user_login_failed.send(sender=__name__, credentials=self.credentials(), request=request)
        return response

    def complete_auth(self, device):
        self.request.session.cycle_key()
        super().complete_auth(device)
        policy.remember(self.request, policy.VERIFY)


# Included under /accounts/two-step/passkeys/ as the namespace `otp_webauthn`.
app_name = "otp_webauthn"
urlpatterns = [
    path("registration/begin/", RegistrationBegin.as_view(), name="credential-registration-begin"),
    path("registration/complete/", RegistrationComplete.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", AuthenticationBegin.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", AuthenticationComplete.as_view(),
         name="credential-authentication-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]  # fmt: skip


class _PasskeyView(ServiceFormView):
    permission_errors_on_form = True

    def dispatch(self, request, *args, **kwargs):
        self.passkey = services.passkey_of(actor=request.user, passkey_id=kwargs["pk"])
        if request.user.is_authenticated and self.passkey is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(passkey=self.passkey, **kwargs)

    def get_success_url(self):
        return reverse("twofactor:overview")


@method_decorator(never_cache, name="dispatch")
class PasskeyRenameView(_PasskeyView):
    form_class = PasskeyRenameForm
    template_name = "accounts/twofactor/passkey_rename.html"

    def get_initial(self):
        return {"name": self.passkey.name if self.passkey else ""}

    def get_context_data(self, **kwargs):
        return super().get_context_data(new=self.request.GET.get("new") == "1", **kwargs)

    def service_call(self, form):
        return services.passkey_rename(
            actor=self.request.user, passkey_id=self.kwargs["pk"], name=form.cleaned_data["name"]
        )

    def get_success_message(self, record) -> str:
        return _("The passkey is named “%(name)s”.") % {"name": record.name}


@method_decorator(never_cache, name="dispatch")
class PasskeyDeleteView(_PasskeyView):
    form_class = PasskeyDeleteForm
    template_name = "accounts/twofactor/passkey_delete.html"

    def service_call(self, form):
        services.passkey_delete(actor=self.request.user, passkey_id=self.kwargs["pk"])
        policy.forget(self.request)
        return None

    def get_success_message(self, record) -> str:
        return _("The passkey is removed.")
