"""A community's progress through the six steps, each step's state computed from its data.

Each app registers the evaluator of the step it serves (in its AppConfig.ready); a step whose
capability does not exist yet shows as not started.

A step's state is the same for everyone who may see it (members and facilitators, on the dashboard, the
step pages, the plan and the API), so an evaluator judges it as the least-privileged of them sees the
records: `core.aggregates.table_member`, through `core.aggregates.disclosed_figures`.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

DONE, IN_PROGRESS, NOT_STARTED = "done", "in_progress", "not_started"

STEP_TITLES = {
    1: _("Co-shared public and private leadership"),
    2: _("Leaders bring others to the table"),
    3: _("Common issues"),
    4: _("Community resources"),
    5: _("Threats and hazards each organization faces"),
    6: _("Needs assessment, goals and tasks"),
}

STATUS_LABELS = {DONE: _("Done"), IN_PROGRESS: _("In progress"), NOT_STARTED: _("Not started")}


@dataclass
class StepState:
    number: int
    status: str = NOT_STARTED
    summary: str = ""
    missing: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def title(self) -> str:
        return STEP_TITLES[self.number]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_done(self) -> bool:
        return self.status == DONE


_evaluators: dict[int, Callable] = {}


def register_step(number: int, evaluator: Callable) -> None:
    """Make `evaluator(community) -> StepState` the judge of one step, as a plain member sees its records."""
    if number not in STEP_TITLES:
        raise ValueError(f"There is no step {number}.")
    _evaluators[number] = evaluator


def step_state(community, number: int) -> StepState:
    """Return the state of one step for a community."""
    evaluator = _evaluators.get(number)
    if evaluator is None:
        return StepState(number=number, summary=str(_("This step's tools are not available yet.")))
    return evaluator(community)


def community_progress(community) -> list[StepState]:
    """Return the state of each of the six steps for a community."""
    return [step_state(community, number) for number in STEP_TITLES]


@dataclass
class Panel:
    """A part of the dashboard that a later step's app contributes: a template and the context it reads."""

    template_name: str
    context: Callable  # (viewer, community) -> dict
    # (community) -> dict: what the panel shows every reader alike, kept with the steps (`snapshots`).
    shared: Callable | None = None


_panels: list[Panel] = []


def register_panel(template_name: str, context: Callable, *, shared: Callable | None = None) -> None:
    """Show `template_name` on every community's dashboard, rendered with `context(viewer, community)` and,
    when given, `shared(community)`: figures that are the same for every reader (as a plain member sees
    them), kept with the steps' states and computed again when those are."""
    _panels.append(Panel(template_name, context, shared))


def shared_panels(community) -> list[dict | None]:
    """Return each panel's shared figures (None for a panel without), in the order of `_panels`."""
    return [panel.shared(community) if panel.shared else None for panel in _panels]


def dashboard_panels(viewer, community, shared: list[dict | None] | None = None) -> list[tuple[str, dict]]:
    """Return (template name, context) for each registered dashboard panel; `shared` as `shared_panels`
    gives it (computed here when not given)."""
    shared = shared_panels(community) if shared is None else shared
    return [
        (panel.template_name, {**panel.context(viewer, community), **(figures or {})})
        for panel, figures in zip(_panels, shared, strict=True)
    ]


_clocks: list[Callable] = []


def register_clock(next_change: Callable) -> None:
    """Name, as `next_change(community) -> aware datetime | None`, the next moment a step's state or a shared
    panel changes by the clock alone (a meeting starting), other than a new day on the community's clock."""
    _clocks.append(next_change)


def next_change(community) -> datetime.datetime | None:
    """Return the earliest moment the registered clocks name for a community (None: none)."""
    moments = [moment for clock in _clocks if (moment := clock(community)) is not None]
    return min(moments, default=None)


_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("progress_memo", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Let the evaluators and panels run inside share what they read (`memoized`), for as long as it lasts:
    one snapshot's reads of the same figures, never a later request's."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(key: Hashable, compute: Callable[[], Any]) -> Any:
    """Return `compute()`, computed once per key inside `one_reading` (every time outside it)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
