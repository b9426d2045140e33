"""The hazards an issue names (`Issue.hazards`), lent to the agenda by step 5.

The link is the agenda's, but which hazards a viewer may name and their assessed risk are the risks
step's, an app above this one: it registers both here from its AppConfig.ready(), as it registers its step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from commonground.core.tlp import TLP
from commonground.core.visibility import Viewer


@dataclass(frozen=True)
class HazardSource:
    choices: Callable  # (*, viewer, community=None) -> the hazards the viewer may name on an issue
    risks: Callable  # (*, viewer, community, hazards) -> ({hazard id: its joint risk}, the figures' marking)


_source: list[HazardSource] = []


def register_hazard_source(*, choices: Callable, risks: Callable) -> None:
    """Make `choices` the hazards an issue may name and `risks` their assessed risk on an issue's page."""
    _source[:] = [HazardSource(choices=choices, risks=risks)]


def _registered() -> HazardSource:
    if not _source:
        raise ImproperlyConfigured("No app lends the agenda its hazards: is commonground.risks installed?")
    return _source[0]


def hazard_choices(*, viewer: Viewer, community=None) -> QuerySet:
    """Return the hazards the viewer may name on an issue (of one community's list, when given)."""
    return _registered().choices(viewer=viewer, community=community)


def hazard_risks(*, viewer: Viewer, community, hazards: list) -> tuple[list[tuple], str]:
    """Return each hazard with its assessed risk as the viewer may see it (None if unassessed), and their marking."""
    if not hazards:
        return [], TLP.CLEAR
    risks, marking = _registered().risks(viewer=viewer, community=community, hazards=hazards)
    return [(hazard, risks.get(hazard.pk)) for hazard in hazards], marking
