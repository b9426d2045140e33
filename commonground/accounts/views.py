from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from commonground.core.services import require
from commonground.core.viewer import viewer_for

from .forms import QueuedPasswordResetForm
from .services import user_deactivate
from .throttles import PasswordResetThrottle


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, answering 429 to an address that asked too often.

    Django's view already answers an unknown e-mail address exactly as a known one (and sends nothing),
    so the page tells nobody who has a login here; and the mail goes through the task queue, so neither does
    the time the answer takes.
    """

    form_class = QueuedPasswordResetForm

    def post(self, request, *args, **kwargs):
        if not PasswordResetThrottle().allow_request(request, self):
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    @property
    def extra_email_context(self) -> dict:
        # The link names the installation's own address (SITE_URL), as every other mail does.
        return {"site": settings.SITE_URL.rstrip("/")}


class UserDeactivateView(View):
    """Deactivate a login (facilitators): it is signed out everywhere at its next request."""

    http_method_names = ["post"]

    def post(self, request, pk):
        # A facilitator's action over every login: anyone else is refused before any login is looked up.
        require(viewer_for(request.user).is_facilitator, _("Only a facilitator may deactivate a login."))
        user = get_object_or_404(get_user_model(), pk=pk)
        try:
            user_deactivate(actor=request.user, user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(user)s can no longer sign in; their access has ended.") % {"user": user}
            )
        back = request.POST.get("next", "")
        if not back.startswith("/") or not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}
        ):
            back = reverse("mywork:home")
        # A URL, never a view name: `redirect("0")` would look "0" up as one and fail.
        return HttpResponseRedirect(back)
