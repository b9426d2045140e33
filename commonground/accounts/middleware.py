"""A signed-in user's own language and time zone for every page, and their session's last sighting."""

from django.conf import settings
from django.utils import timezone, translation

from commonground.core.timezones import zone_named

from .services.sessions import session_seen


class PreferencesMiddleware:
    """Activate the language (over the cookie and the browser's) and the time zone a signed-in user chose.

    It runs after `LocaleMiddleware`, which has already picked the cookie's or the browser's language, and
    after `LocalTimeMiddleware`, which resets the zone when the response is rendered. A community's page
    reads its times on the community's clock unless the user chose a zone (`core.viewer.ViewerMixin`). The
    API keeps to UTC.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.activate(request, user)
            session_seen(request)
        return self.get_response(request)

    @staticmethod
    def activate(request, user) -> None:
        if user.language and user.language in {code for code, _name in settings.LANGUAGES}:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        zone = zone_named(user.time_zone)
        if zone is not None and not request.path.startswith("/api/"):
            timezone.activate(zone)
