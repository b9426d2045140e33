"""Leaving: what ends when a person is removed, an organization leaves a table or a login is deactivated.

The accounts end sessions and tokens; the rest belongs to the apps above (who the people are, their tasks,
the TLP:RED records naming them). Those apps register their part here from their `AppConfig.ready()`, so
`accounts.services.access_end` runs every part of one leaving without importing upwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeavingReason(models.TextChoices):
    PERSON_REMOVED = "person_removed", _("removed from their organization")
    ORGANIZATION_LEFT = "organization_left", _("their organization left the table")
    USER_DEACTIVATED = "user_deactivated", _("their login was deactivated")


@dataclass(frozen=True)
class Leaving:
    """One leaving: why, whose logins and people, and, for an organization leaving a table, which table.

    `community_id` None: the people leave every table; set, only that community's access ends.
    `tokens`: whether their API tokens are revoked (an organization that still sits at another table keeps
    them: the token reads through the same rules, from its next call, as a page does).
    """

    reason: str
    user_ids: frozenset[int] = field(default_factory=frozenset)
    person_ids: frozenset[int] = field(default_factory=frozenset)
    organization_id: int | None = None
    community_id: int | None = None
    tokens: bool = True

    def with_people(self, user_ids, person_ids) -> Leaving:
        return replace(
            self,
            user_ids=self.user_ids | frozenset(user_ids),
            person_ids=self.person_ids | frozenset(person_ids),
        )


# Each takes a Leaving and returns the (user ids, person ids) it concerns: the registry knows who they are.
_RESOLVERS: list[Callable[[Leaving], tuple]] = []
# Each takes `actor` and `leaving` (people resolved) and does its app's part, audited, in the transaction.
_STEPS: dict[str, Callable[..., int]] = {}


def register_people_resolver(resolver: Callable[[Leaving], tuple]) -> None:
    """Let an app say which logins and people a leaving concerns."""
    if resolver not in _RESOLVERS:
        _RESOLVERS.append(resolver)


def register_leaving_step(name: str, step: Callable[..., int]) -> None:
    """Add an app's part of every leaving (`step(actor=..., leaving=...)` returns how many records it changed)."""
    _STEPS[name] = step


def resolved(leaving: Leaving) -> Leaving:
    for resolver in _RESOLVERS:
        leaving = leaving.with_people(*resolver(leaving))
    return leaving


def steps() -> dict[str, Callable[..., int]]:
    return dict(_STEPS)
