"""Members only: every page but the public ones needs a login."""

from django.contrib.auth.middleware import LoginRequiredMiddleware


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
