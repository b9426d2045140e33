"""Step 6 of the Partnership Model, judged from the needs assessment, the goals and the tasks."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, StepState
from commonground.core.aggregates import any_disclosed, table_member

from .measures import task_counts
from .models import Goal, NeedsAnswer, NeedsAssessment


def sustainability_step(community) -> StepState:
    """Step 6 is done when prioritized needs, goals and tasks exist and tasks are being completed.

    Needs answers are marked: whether any was given is judged as a plain member of the table sees it
    (`communities.progress`), so one organization's restricted answer moves neither status nor line.
    """
    answers = NeedsAnswer.objects.submitted().filter(community=community, level__lt=5)
    answered = any_disclosed(answers, table_member(community.pk))
    goals = Goal.objects.filter(community=community).count()
    counts = task_counts(community)
    tasks, done, overdue = counts["total"], counts["done"], counts["overdue"]
    missing = []
    if not answered:
        missing.append(_("a needs assessment answered by the organizations at the table"))
    if not goals:
        missing.append(_("goals set against the prioritized needs"))
    if not tasks:
        missing.append(_("tasks for those goals"))
    elif not done:
        missing.append(_("a task completed"))
    summary = _("%(goals)d goals; %(done)d of %(tasks)d tasks done, %(overdue)d overdue.") % {
        "goals": goals, "done": done, "tasks": tasks, "overdue": overdue,
    }  # fmt: skip
    started = answered or goals or NeedsAssessment.objects.filter(community=community).exists()
    status = DONE if not missing else (IN_PROGRESS if started else NOT_STARTED)
    return StepState(6, status, summary, missing, reverse("sustainability:goals", args=[community.slug]))
