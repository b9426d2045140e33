"""Step 6 of the Partnership Model, judged from the needs assessment (goals and tasks are to come)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.communities.progress import IN_PROGRESS, NOT_STARTED, StepState

from .models import NeedsAnswer, NeedsAssessment


def sustainability_step(community) -> StepState:
    """Step 6 is done when prioritized needs, goals and tasks exist and tasks are being completed."""
    assessments = NeedsAssessment.objects.filter(community=community).count()
    answered = NeedsAnswer.objects.filter(community=community).values("organization_id").distinct().count()
    missing = [
        _("goals set against the prioritized needs"),
        _("tasks for those goals, being completed"),
    ]
    if not answered:
        missing.insert(0, _("a needs assessment answered by the organizations at the table"))
    summary = _("%(assessments)d needs assessments; organizations have answered: %(answered)s.") % {
        "assessments": assessments, "answered": _("yes") if answered else _("none yet"),
    }  # fmt: skip
    status = IN_PROGRESS if assessments else NOT_STARTED
    return StepState(
        6, status, summary, missing, reverse("sustainability:assessments", args=[community.slug])
    )
