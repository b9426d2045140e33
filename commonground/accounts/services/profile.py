"""A user's own profile: name, language, time zone, the mail they want, and a new e-mail address confirmed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.mail import mail_enqueue, mail_message
from commonground.core.services import assign, require, validated_save

from ..choices import OPTIONAL
from .facilitators import _clean_email

PROFILE_FIELDS = ("first_name", "last_name", "language", "time_zone", "mail_unwanted")
EMAIL_CHANGE_SALT = "commonground.accounts.email_change"


def require_self(actor, user) -> None:
    """Refuse a write to a user's own account by anyone but that user (`actor=None`, the system, may)."""
    require(actor is None or getattr(actor, "pk", None) == user.pk, _("Only you may change your account."))


def _check_profile(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    if "language" in cleaned:
        offered = {code for code, _name in settings.LANGUAGES}
        if cleaned["language"] and cleaned["language"] not in offered:
            raise ValidationError({"language": _("This language is not offered here.")})
    if "mail_unwanted" in cleaned:
        unwanted = cleaned["mail_unwanted"]
        if not isinstance(unwanted, list | tuple | set) or not set(unwanted) <= set(OPTIONAL):
            raise ValidationError({"mail_unwanted": _("Choose among the kinds of e-mail listed.")})
        cleaned["mail_unwanted"] = sorted(str(kind) for kind in unwanted)
    return cleaned


@transaction.atomic
def user_profile_update(*, actor, user, data: dict[str, Any]):
    """Change what a user says of themself: name, language, time zone and the kinds of mail they want."""
    require_self(actor, user)
    data = _check_profile(data)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(user)
    assign(user, data, PROFILE_FIELDS)
    validated_save(user)
    audit.record_update(actor, user, before)
    return user


def _address_taken(email: str, user) -> bool:
    others = get_user_model().objects.exclude(pk=user.pk)
    return others.filter(email__iexact=email).exists() or others.filter(username__iexact=email).exists()


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def email_change_request(*, actor, user, email: str) -> str:
    """Mail a signed, expiring link to a user's new address; the address changes only when it is followed.

    The link names the old address and the time it was asked for, so it works once: after the change (or any
    other) it no longer matches, nor does it when the address has come back to the old one since. Return the
    new address, cleaned.
    """
    require_self(actor, user)
    email = _clean_email(email)
    if email.lower() == (user.email or "").lower():
        raise ValidationError({"email": _("This is already your e-mail address.")})
    if _address_taken(email, user):
        raise ValidationError({"email": _("Another login already uses this e-mail address.")})
    asked = timezone.now().timestamp()
    token = signing.dumps({"u": user.pk, "e": email, "o": user.email, "t": asked}, salt=EMAIL_CHANGE_SALT)
    context = {
        "user": user,
        "email": email,
        "url": _site() + reverse("email_change_confirm", args=[token]),
        "hours": settings.EMAIL_CHANGE_MAX_AGE_HOURS,
        "site": _site(),
    }
    body = render_to_string("accounts/email/email_change_confirm.txt", context)
    mail_enqueue(
        [mail_message(subject=_("Confirm your new e-mail address on Common Ground"), body=body, to=[email])]
    )
    return email


def email_change_read(token: str) -> dict[str, Any]:
    """Return what a confirmation link says ({"u": user id, "e": new address, "o": old}), or refuse it."""
    try:
        return signing.loads(
            token, salt=EMAIL_CHANGE_SALT, max_age=settings.EMAIL_CHANGE_MAX_AGE_HOURS * 3600
        )
    except signing.BadSignature:  # SignatureExpired is one
        raise ValidationError(
            {"token": _("This link is not valid or has expired: ask for a new one on your profile.")}
        ) from None


@transaction.atomic
def email_change_confirm(*, actor, token: str):
    """Change a user's e-mail address to the one their link confirms, and tell the old address."""
    found = email_change_read(token)
    user = get_user_model().objects.select_for_update().filter(pk=found.get("u")).first()
    if user is None or actor is None or actor.pk != user.pk:
        raise ValidationError({"token": _("This link was sent for another login: sign in as that login.")})
    changed = user.email_changed_at.timestamp() if user.email_changed_at else None
    if (user.email or "") != (found.get("o") or "") or (changed and not found.get("t", 0) > changed):
        raise ValidationError({"token": _("This link was already used, or your address changed since.")})
    email = found["e"]
    if _address_taken(email, user):
        raise ValidationError({"token": _("Another login uses this e-mail address now.")})
    old = user.email
    before = audit.snapshot(user)
    user.email = email
    user.email_changed_at = timezone.now()
    validated_save(user)
    audit.record_update(actor, user, before)
    if old:
        body = render_to_string(
            "accounts/email/email_changed_notice.txt",
            {"user": user, "email": email, "site": _site(), "reset": _site() + reverse("password_reset")},
        )
        mail_enqueue(
            [mail_message(subject=_("Your e-mail address on Common Ground was changed"), body=body, to=[old])]
        )
    return user
