"""The profile: a user's name, language, time zone and mail; their e-mail address; sessions; API tokens.

Every page here is the signed-in user's own: a session or a token is looked up among theirs only, so
another user's id answers 404 and changes nothing.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, authenticate
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.i18n import set_language as django_set_language

from commonground.core.views import ServiceFormView, add_service_errors

from .choices import MANDATORY
from .forms import EmailChangeForm, ProfileForm, TokenCreateForm
from .selectors import sessions_of, tokens_of
from .services import (
    email_change_confirm,
    email_change_request,
    session_end,
    sessions_end,
    token_create,
    token_revoke,
    user_profile_update,
)
from .services.profile import email_change_read


class ProfileView(ServiceFormView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("profile")

    def get_initial(self):
        return ProfileForm.initial_for(self.request.user)

    def service_call(self, form):
        user = self.request.user
        return user_profile_update(actor=user, user=user, data=form.profile_data())

    def get_success_message(self, record) -> str:
        return _("Your profile is saved.")

    def get_success_url(self):
        return str(self.success_url)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            sessions=list(sessions_of(user)),
            tokens=list(tokens_of(user)),
            current_key=self.request.session.session_key,
            mandatory=sorted(kind.label for kind in MANDATORY),
            **kwargs,
        )


class EmailChangeView(ServiceFormView):
    template_name = "accounts/email_change.html"
    form_class = EmailChangeForm
    # Too many wrong passwords lock the login out, as on the login page (django-axes counts them).
    permission_errors_on_form = True

    def service_call(self, form):
        user = self.request.user
        password = form.cleaned_data["password"]
        if authenticate(self.request, username=user.get_username(), password=password) is None:
            raise ValidationError({"password": _("That is not your password.")})
        self.new_address = email_change_request(actor=user, user=user, email=form.cleaned_data["email"])
        return user

    def get_success_message(self, record) -> str:
        return _("We sent a link to %(email)s: your address changes when you follow it.") % {
            "email": self.new_address
        }

    def get_success_url(self):
        return reverse("profile")


class EmailChangeConfirmView(View):
    """Show what a confirmation link would change (a GET changes nothing), and change it on POST."""

    template_name = "accounts/email_change_confirm.html"

    def get(self, request, token):
        try:
            found = email_change_read(token)
        except ValidationError as error:
            return render(request, self.template_name, {"errors": error.messages})
        return render(request, self.template_name, {"email": found.get("e")})

    def post(self, request, token):
        try:
            email_change_confirm(actor=request.user, token=token)
        except ValidationError as error:
            return render(request, self.template_name, {"errors": error.messages})
        messages.success(request, _("Your e-mail address is now %(email)s.") % {"email": request.user.email})
        return redirect("profile")


class SessionEndView(View):
    def post(self, request, pk):
        row = get_object_or_404(sessions_of(request.user), pk=pk)
        own = row.session_key == request.session.session_key
        session_end(actor=request.user, session=row)
        if own:
            return redirect(f"{reverse('login')}?{REDIRECT_FIELD_NAME}={reverse('profile')}")
        messages.success(request, _("That session is ended: its browser is signed out."))
        return redirect("profile")


class SessionsEndOthersView(View):
    def post(self, request):
        ended = sessions_end(user=request.user, actor=request.user, except_key=request.session.session_key)
        messages.success(
            request,
            ngettext("%(n)d other session ended.", "%(n)d other sessions ended.", ended) % {"n": ended},
        )
        return redirect("profile")


class TokenCreateView(ServiceFormView):
    template_name = "accounts/token_create.html"
    form_class = TokenCreateForm

    def get_initial(self):
        return {"days": settings.API_TOKEN_DEFAULT_DAYS}

    def form_valid(self, form):
        user = self.request.user
        try:
            token, key = token_create(
                actor=user, user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        # The key is shown in this answer only: it is not kept anywhere it could be read again.
        return render(
            self.request,
            "accounts/token_created.html",
            {"token": token, "key": key, "header": "Authorization: Token …"},
        )


class TokenRevokeView(View):
    def post(self, request, pk):
        token = get_object_or_404(tokens_of(request.user), pk=pk)
        token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("profile")


def set_language(request):
    """Django's switcher (the language cookie, back to `next`), and a signed-in user's profile keeps the choice."""
    response = django_set_language(request)
    code = request.POST.get("language") if request.method == "POST" else None
    user = request.user
    offered = {language for language, _name in settings.LANGUAGES}
    if user.is_authenticated and code in offered and code != user.language:
        user_profile_update(actor=user, user=user, data={"language": code})
    return response
