"""Activation-based disclosure: a resource its owner marks so may be seen by the leadership of an active incident.

The incident side lives in a later app; it names the audience here from its `AppConfig.ready()`
(`register_disclosure_audience`), so the rule stays in the resource's visibility queryset and the layers keep
pointing down.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from commonground.core.visibility import Viewer

_audiences: list[Callable[[Viewer], Q]] = []


def register_disclosure_audience(audience: Callable[[Viewer], Q]) -> None:
    """Add a rule giving, for a viewer, the condition on a resource under which its disclosure reaches them."""
    if audience not in _audiences:
        _audiences.append(audience)


def disclosure_q(viewer: Viewer) -> Q:
    """Return the condition under which the viewer sees a resource through its owner's disclosure."""
    if not viewer.is_authenticated or not _audiences:
        return Q(pk__in=[])
    reached = Q(pk__in=[])
    for audience in _audiences:
        reached |= audience(viewer)
    return Q(disclosed_in_incidents=True) & reached
