"""Leaving: a person's access ends at once, everywhere it runs, in one transaction; and deactivating a login."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.services import require, validated_save, viewer_of

from ..leaving import Leaving, LeavingReason, resolved, steps
from .sessions import sessions_end
from .tokens import tokens_revoke


@transaction.atomic
def access_end(*, actor, leaving: Leaving) -> dict[str, int]:
    """End the access a leaving takes away: sessions, tokens, and each app's part (tasks handed back, TLP:RED
    recipients reviewed); return how many of each.

    The caller has checked who may (removing the person, the membership or the login): this is the one
    writer every path of leaving goes through. The sessions' and tokens' entries are the system's (their own
    services let only their user or a facilitator end them); every other entry names the actor.
    """
    leaving = resolved(leaving)
    users = list(get_user_model().objects.filter(pk__in=leaving.user_ids).order_by("pk"))
    done = {"sessions": 0, "tokens": 0}
    for user in users:
        done["sessions"] += sessions_end(user=user, actor=None)
        if leaving.tokens:
            done["tokens"] += tokens_revoke(user=user, actor=None)
    for name, step in steps().items():
        done[name] = step(actor=actor, leaving=leaving)
    return done


def require_may_deactivate(actor, user) -> None:
    """Refuse anyone but a facilitator, and a facilitator deactivating themself or the last active one."""
    require(viewer_of(actor).is_facilitator, _("Only a facilitator may deactivate a login."))
    if not user.is_active:
        raise ValidationError({"user": _("This login is already deactivated.")})
    if actor is not None and actor.pk == user.pk:
        raise ValidationError({"user": _("You may not deactivate your own login.")})
    others = get_user_model().objects.filter(is_facilitator=True, is_active=True).exclude(pk=user.pk)
    if user.is_facilitator and not others.exists():
        raise ValidationError(
            {"user": _("This is the last active facilitator: name another before deactivating this one.")}
        )


@transaction.atomic
def user_deactivate(*, actor, user):
    """Stop a login from signing in, and end the access it had at once (facilitators only).

    Its person stays in the registry (an organization keeps its contact), but holds no task and is named on
    no TLP:RED record any more; `facilitator add` names a login active again.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    require_may_deactivate(actor, user)
    before = audit.snapshot(user)
    user.is_active = False
    validated_save(user)
    audit.record_update(actor, user, before)
    access_end(
        actor=actor, leaving=Leaving(reason=LeavingReason.USER_DEACTIVATED, user_ids=frozenset({user.pk}))
    )
    return user
