"""Step 3 of the Partnership Model, judged from the issues on the table."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, StepState

from .choices import IssueStatus
from .models import Issue
from .selectors import adopted_with_both_sectors


def common_issues_step(community) -> StepState:
    """Step 3 is done when at least one adopted issue is endorsed by both the public and the private side."""
    issues = Issue.objects.in_community(community)
    proposed = issues.count()
    adopted = issues.filter(status=IssueStatus.ADOPTED).count()
    shared = adopted_with_both_sectors(community).count()
    missing = []
    if not adopted:
        missing.append(_("an issue adopted onto the partnership's agenda"))
    if not shared:
        missing.append(_("an adopted issue endorsed by both public and private organizations"))
    status = DONE if shared else (IN_PROGRESS if proposed else NOT_STARTED)
    summary = _("%(proposed)d issues proposed, %(adopted)d adopted, %(shared)d of them endorsed by both sectors.") % {
        "proposed": proposed, "adopted": adopted, "shared": shared,
    }  # fmt: skip
    return StepState(3, status, summary, missing, reverse("agenda:issues", args=[community.slug]))
