"""Name and remove the installation's facilitators, the program staff who see every community."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.services import require, validated_save, viewer_of


def password_link(user) -> str:
    """Return the absolute link to set the user's password: Django's reset-confirm page and token."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def _clean_email(email: str) -> str:
    email = get_user_model().objects.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    return email


def _user_with_email(email: str, *, for_update: bool = False):
    """Return the one login with this e-mail address, None for none; several would be a guess."""
    users = get_user_model().objects.filter(email__iexact=email)
    found = list((users.select_for_update() if for_update else users)[:2])
    if len(found) > 1:
        raise ValidationError(
            {"email": _("Several logins have this e-mail address; give each its own first.")}
        )
    return found[0] if found else None


def _send_facilitator_mail(user) -> None:
    context = {"user": user, "url": password_link(user), "site": settings.SITE_URL.rstrip("/")}
    send_mail(
        subject=_("You are a facilitator on Common Ground"),
        message=render_to_string("accounts/email/facilitator_named.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def facilitator_add(*, actor, email: str):
    """Make the login with this e-mail address a facilitator (creating it where none has it) and mail them a
    link to set their password, so that a new facilitator never receives a password in clear."""
    require(viewer_of(actor).is_facilitator, _("Only a facilitator may name another."))
    email = _clean_email(email)
    User = get_user_model()
    user = _user_with_email(email, for_update=True)
    if user is None:
        if User.objects.filter(username__iexact=email).exists():
            raise ValidationError(
                {"email": _("Another login already uses this e-mail address as its username.")}
            )
        user = User(username=email, email=email, is_facilitator=True)
        user.set_unusable_password()
        validated_save(user)
        audit.record_create(actor, user)
    else:
        before = audit.snapshot(user)
        user.is_facilitator = True
        user.is_active = True  # naming someone is the operator's deliberate word that they may sign in
        validated_save(user)
        audit.record_update(actor, user, before)
    _send_facilitator_mail(user)
    return user


@transaction.atomic
def facilitator_remove(*, actor, email: str):
    """Take the facilitator role from the login with this e-mail address, never from the last active one:
    without a facilitator nobody could create a community or name anyone again."""
    require(viewer_of(actor).is_facilitator, _("Only a facilitator may remove another."))
    email = _clean_email(email)
    user = _user_with_email(email, for_update=True)
    if user is None or not user.is_facilitator:
        raise ValidationError({"email": _("No facilitator has this e-mail address.")})
    facilitators = get_user_model().objects.select_for_update().filter(is_facilitator=True, is_active=True)
    if user.is_active and not facilitators.exclude(pk=user.pk).exists():
        raise ValidationError(
            {"email": _("This is the last active facilitator: name another before removing this one.")}
        )
    before = audit.snapshot(user)
    user.is_facilitator = False
    validated_save(user)
    audit.record_update(actor, user, before)
    return user


def login_for_email(email: str):
    """Return the one login with this e-mail address, or None (for the commands that name a login by it)."""
    return _user_with_email(_clean_email(email))
