"""The rate limit on password-reset requests, kept where the API's throttles keep theirs."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class PasswordResetThrottle(SimpleRateThrottle):
    """Limit the reset mails one client address may ask for (THROTTLE_PASSWORD_RESET).

    It is DRF's own cache-backed throttle, keyed by the address as the token endpoint's throttle and the
    login lockout see it, so a Redis cache (REDIS_URL) shares the count between servers as it shares theirs.
    """

    scope = "password_reset"

    def get_rate(self) -> str:
        # Read at each request, not at import, so the setting (and a test's override) holds.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
