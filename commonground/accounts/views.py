from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from .forms import QueuedPasswordResetForm
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
