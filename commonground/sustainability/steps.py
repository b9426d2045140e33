"""Step 6 of the Partnership Model, judged from the needs assessment, the goals and the tasks."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, StepState
from commonground.core.aggregates import count_organizations, disclosed_figures, table_member

from .choices import TaskStatus
from .models import Goal, NeedsAnswer, NeedsAssessment, Task


def sustainability_step(community) -> StepState:
    """Step 6 is done when prioritized needs, goals and tasks exist and tasks are being completed.

    Needs answers are marked: whether any was given is judged as a plain member of the table sees it
    (`communities.progress`), so one organization's restricted answer moves neither status nor line.
    """
    answers = NeedsAnswer.objects.submitted().filter(community=community, level__lt=5)
    measures = {"answered": count_organizations()}
    answered = disclosed_figures(answers, table_member(community.pk), measures)[None]["answered"].value > 0
    goals = Goal.objects.filter(community=community).count()
    tasks = Task.objects.filter(goal__community=community)
    done = tasks.filter(status=TaskStatus.DONE).count()
    missing = []
    if not answered:
        missing.append(_("a needs assessment answered by the organizations at the table"))
    if not goals:
        missing.append(_("goals set against the prioritized needs"))
    if not tasks.exists():
        missing.append(_("tasks for those goals"))
    elif not done:
        missing.append(_("a task completed"))
    summary = _("%(goals)d goals; %(done)d of %(tasks)d tasks done, %(overdue)d overdue.") % {
        "goals": goals, "done": done, "tasks": tasks.count(), "overdue": tasks.exclude(status=TaskStatus.DONE).filter(due_on__lt=timezone.localdate()).count(),
    }  # fmt: skip
    started = answered or goals or NeedsAssessment.objects.filter(community=community).exists()
    status = DONE if not missing else (IN_PROGRESS if started else NOT_STARTED)
    return StepState(6, status, summary, missing, reverse("sustainability:goals", args=[community.slug]))
