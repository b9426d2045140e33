"""A community's progress through the six steps, each step's state computed from its data.

Each app registers the evaluator of the step it serves (in its AppConfig.ready); a step whose
capability does not exist yet shows as not started.

A step's state is the same for everyone who may see it (members and facilitators, on the dashboard, the
step pages, the plan and the API), so an evaluator judges it as the least-privileged of them sees the
records: `core.aggregates.table_member`, through `core.aggregates.disclosed_figures`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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


_panels: list[Panel] = []


def register_panel(template_name: str, context: Callable) -> None:
    """Show `template_name` on every community's dashboard, rendered with `context(viewer, community)`."""
    _panels.append(Panel(template_name, context))


def dashboard_panels(viewer, community) -> list[tuple[str, dict]]:
    """Return (template name, context) for each registered dashboard panel."""
    return [(panel.template_name, panel.context(viewer, community)) for panel in _panels]
