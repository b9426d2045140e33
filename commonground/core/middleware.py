"""Members only: every page but the public ones needs a login; a page's time zone ends with its response."""

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.utils import timezone


class MembersOnlyMiddleware(LoginRequiredMiddleware):
    """Send visitors to the login page, except on public views and the API.

    The API authenticates inside DRF (tokens as well as sessions) and answers 401/403 as JSON
    itself; public pages are marked with `django.contrib.auth.decorators.login_not_required`.
    """

    open_prefixes = ("/api/", "/static/")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.open_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class LocalTimeMiddleware:
    """Forget, once the response is rendered, the time zone a community's page activated.

    The zone lives in the worker's thread: without this the next request in the thread, of another
    community or none, would read and show its times in this one's zone. Templates render after the view
    returns, so the reset waits for the whole response here rather than in the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
