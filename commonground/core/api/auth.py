from rest_framework.throttling import BaseThrottle


def client_address(request) -> str | None:
    """Return the client's address as the throttles see it, so that lock-outs are keyed the same way.

    DRF believes X-Forwarded-For only as far as NUM_PROXIES (the TRUSTED_PROXIES setting) allows;
    with none trusted, a client cannot name a new address for each attempt.
    """
    return BaseThrottle().get_ident(request)
