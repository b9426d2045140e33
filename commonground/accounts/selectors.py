"""The accounts' reads: who wants which mail, a user's sessions and tokens, the token behind an API key.

Every task that mails people asks `recipients_wanting` (knowing the logins) or `addresses_wanting` (knowing
only addresses) first; both read the one rule, `wants_mail`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from .choices import MANDATORY, MailKind
from .models import ApiToken, SignedInSession

T = TypeVar("T")


def wants_mail(user, kind: MailKind | str) -> bool:
    """Return whether a login wants mail of this kind: always for a mandatory kind, else unless turned off."""
    if kind in MANDATORY or user is None:
        return True
    return str(kind) not in (getattr(user, "mail_unwanted", None) or ())


def recipients_wanting(kind: MailKind | str, recipients: Iterable[T]) -> list[T]:
    """Return the recipients that want mail of this kind, in order: each a user, or a tuple whose first item
    is the user (None for someone with no login, who has said nothing and so is kept)."""
    MailKind(kind)  # a kind nobody can choose is a mistake of the caller
    return [r for r in recipients if wants_mail(r[0] if isinstance(r, tuple) else r, kind)]


def addresses_wanting(kind: MailKind | str, addresses: Iterable[str]) -> list[str]:
    """Return the addresses, in order, except those of a login that turned this kind off (its own address or
    its person's at the table); an address no login has is kept. One query."""
    addresses = list(addresses)
    MailKind(kind)
    if kind in MANDATORY or not addresses:
        return addresses
    lowered = {address.strip().lower() for address in addresses}
    users = (
        get_user_model()
        .objects.annotate(address=Lower("email"), person_address=Lower("person__email"))
        .filter(Q(address__in=lowered) | Q(person_address__in=lowered))
        .values_list("address", "person_address", "mail_unwanted")
    )
    unwanted = set()
    for address, person_address, turned_off in users:
        if str(kind) in (turned_off or ()):
            unwanted |= {address, person_address} & lowered
    return [address for address in addresses if address.strip().lower() not in unwanted]


def sessions_of(user) -> QuerySet[SignedInSession]:
    """Return a user's signed-in sessions not yet expired, the latest seen first."""
    now = timezone.now()
    return SignedInSession.objects.filter(user=user).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def tokens_of(user) -> QuerySet[ApiToken]:
    """Return a user's API tokens, the newest first (revoked and expired ones too, marked so)."""
    return ApiToken.objects.filter(user=user)


def token_for_key(key: str) -> ApiToken | None:
    """Return the token in force that a key names, with its user, or None."""
    return _tokens_of_key(key).first()


def token_query(key: str | None = None, *, hashed=None, now=None) -> QuerySet[ApiToken]:
    """`token_for_key`'s read as a query: the first token in force that a key names, with its user. `hashed` and
    `now`, where given, stand for the key's hash and the present (the slots of a kept statement)."""
    return _tokens_of_key(key, hashed=hashed, now=now).order_by("pk")[:1]


def _tokens_of_key(key: str | None, *, hashed=None, now=None) -> QuerySet[ApiToken]:
    from .services.tokens import key_hash

    if hashed is None:
        hashed = key_hash(key)
    return ApiToken.objects.active(now).select_related("user").filter(key_hash=hashed)
