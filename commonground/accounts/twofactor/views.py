"""The two-step sign-in pages: overview, enrolment, the code step after the password, recovery codes, off."""

from __future__ import annotations

import time

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_login_failed
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonground.core.kept import Kept
from commonground.core.views import ServiceFormView

from . import policy, services
from .forms import DisableForm, EnrolForm, RegenerateForm, VerifyForm

PENDING_KEY = "twofactor_pending_key"
CODES_KEY = "twofactor_new_codes"
CODES_SHOWN_SECONDS = 600


def keep_codes(request, codes: list[str]) -> None:
    request.session[CODES_KEY] = [codes, int(time.time())]


def kept_codes(request) -> list[str]:
    kept = request.session.get(CODES_KEY)
    if isinstance(kept, list) and len(kept) == 2 and time.time() - kept[1] < CODES_SHOWN_SECONDS:
        return list(kept[0])
    request.session.pop(CODES_KEY, None)
    return []


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@method_decorator(never_cache, name="dispatch")
class OverviewView(TemplateView):
    template_name = "accounts/twofactor/overview.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        self.request.session.pop(
            CODES_KEY, None
        )  # new recovery codes are shown once: coming here forgets them
        return super().get_context_data(
            enrolled=services.authenticator_device(user) is not None,
            required=policy.required_for(user),
            codes_left=services.recovery_codes_left(user),
            passkeys=list(services.passkeys_of(user)),
            passkeys_available=services.passkeys_available(),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class EnrolView(ServiceFormView):
    """Show a new secret as a QR code and as text; a code from the app confirms it."""

    form_class = EnrolForm
    template_name = "accounts/twofactor/enrol.html"
    permission_errors_on_form = True

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_verified() and policy.has_authenticator(user):
            # A session that owes the second step pays it with the authenticator it has (a passkey
            # included), never by setting up another one with a password alone.
            return redirect("twofactor:verify")
        if user.is_authenticated and services.authenticator_device(user) is not None:
            return redirect("twofactor:overview")
        return super().dispatch(request, *args, **kwargs)

    def pending_key(self) -> str:
        key = self.request.session.get(PENDING_KEY)
        if not isinstance(key, str) or len(key) != 2 * services.KEY_BYTES:
            key = services.new_secret()
            self.request.session[PENDING_KEY] = key
        return key

    def get_context_data(self, **kwargs):
        key = self.pending_key()
        url = TOTPDevice(user=self.request.user, key=key).config_url
        title = _("QR code of the secret")

        def drawn() -> str:
            qr = segno.make(url, error="m")
            return qr.svg_inline(scale=5, dark="#1b1b1b", light="#ffffff", title=title)

        return super().get_context_data(
            qr_svg=_QR_CODES.get_or_build((url, title), drawn),
            secret=services.secret_base32(key),
            required=policy.required_for(self.request.user),
            passkeys_available=services.passkeys_available(),
            **kwargs,
        )

    def service_call(self, form):
        device, codes = services.totp_device_create(
            actor=self.request.user, key=self.pending_key(), code=form.cleaned_data["code"]
        )
        self.request.session.pop(PENDING_KEY, None)
        forget_qr_codes(device)
        otp_login(self.request, device)  # the code just given verifies this session too
        policy.remember(self.request, policy.VERIFY)
        keep_codes(self.request, codes)
        return device

    def get_success_message(self, record) -> str:
        return _("Two-step sign-in is on.")

    def get_success_url(self):
        return reverse("twofactor:recovery_codes")


# The QR code of each pending secret's address, drawn once in the process: choosing its mask drew it eight times,
# two thirds of the set-up page's time, on each showing of the same secret (the session keeps it until it is
# confirmed). Forgotten when the secret is confirmed; at most a few dozen, the least lately shown dropped first.
_QR_CODES: Kept[str] = Kept(64)


def forget_qr_codes(device: TOTPDevice) -> None:
    """Drop the kept QR codes of a confirmed secret's address (in every language drawn)."""
    url = device.config_url
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            _QR_CODES.discard((url, _("QR code of the secret")))


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(TemplateView):
    """The new recovery codes, shown for a few minutes after they are made, then never again."""

    template_name = "accounts/twofactor/recovery_codes.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(codes=kept_codes(self.request), **kwargs)


@never_cache
def recovery_codes_download(request):
    codes = kept_codes(request)
    if not codes:
        return redirect("twofactor:recovery_codes")
    lines = [_("Common Ground recovery codes for %(user)s") % {"user": request.user.get_username()},
             _("Each code works once, in place of a code from your app."), "", *codes, ""]  # fmt: skip
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commonground-recovery-codes.txt"'
    return response


@method_decorator(never_cache, name="dispatch")
class VerifyView(FormView):
    """The second step: after the password, a code from the app or a recovery code.

    A wrong code counts as a failed login for django-axes (so the lock-out of the password covers the code
    too, and the attempt is logged); each device also waits longer after each wrong code.
    """

    form_class = VerifyForm
    template_name = "accounts/twofactor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.is_verified():
            return redirect(safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
        if user.is_authenticated and not policy.has_authenticator(user):
            return redirect("twofactor:enrol")
        return super().dispatch(request, *args, **kwargs)

    def credentials(self) -> dict:
        return {"username": self.request.user.get_username()}

    def locked_out(self):
        logout(self.request)
        return render(self.request, settings.AXES_LOCKOUT_TEMPLATE, status=429)

    def post(self, request, *args, **kwargs):
        if AxesProxyHandler.is_locked(request, self.credentials()):
            return self.locked_out()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        device = services.verified_device(user=user, code=form.cleaned_data["code"])
        if device is None:
            user_login_failed.send(sender=__name__, credentials=self.credentials(), request=self.request)
            if getattr(self.request, "axes_locked_out", False) or AxesProxyHandler.is_locked(
                self.request, self.credentials()
            ):
                return self.locked_out()
            form.add_error(
                "code", _("That code is not right, or came too soon after a wrong one; wait a moment.")
            )
            return self.form_invalid(form)
        self.request.session.cycle_key()
        otp_login(self.request, device)
        policy.remember(self.request, policy.VERIFY)
        if device.persistent_id.startswith("otp_static"):
            left = services.recovery_codes_left(user)
            messages.warning(
                self.request,
                _(
                    "You used a recovery code; %(left)s are left. Make new ones from the two-step sign-in page."
                )
                % {"left": left},
            )
        return redirect(safe_next(self.request, reverse(settings.LOGIN_REDIRECT_URL)))

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            next=safe_next(self.request, ""),
            has_app=services.authenticator_device(user) is not None,
            has_passkey=services.passkeys_available() and services.passkeys_of(user).exists(),
            **kwargs,
        )


class _CurrentCodeView(ServiceFormView):
    permission_errors_on_form = True
    success_url = reverse_lazy("twofactor:overview")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and services.authenticator_device(request.user) is None:
            return redirect("twofactor:overview")
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return str(self.success_url)


@method_decorator(never_cache, name="dispatch")
class RegenerateView(_CurrentCodeView):
    form_class = RegenerateForm
    template_name = "accounts/twofactor/regenerate.html"

    def service_call(self, form):
        codes = services.recovery_codes_regenerate(actor=self.request.user, code=form.cleaned_data["code"])
        keep_codes(self.request, codes)
        return codes

    def get_success_url(self):
        return reverse("twofactor:recovery_codes")


@method_decorator(never_cache, name="dispatch")
class DisableView(_CurrentCodeView):
    form_class = DisableForm
    template_name = "accounts/twofactor/disable.html"

    def service_call(self, form):
        services.two_factor_disable(
            actor=self.request.user, password=form.cleaned_data["password"], code=form.cleaned_data["code"]
        )
        policy.forget(self.request)
        return None

    def get_success_message(self, record) -> str:
        return _("Two-step sign-in is off.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(required=policy.required_for(self.request.user), **kwargs)
