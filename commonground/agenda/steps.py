"""Step 3 of the Partnership Model, judged from the issues on the table."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, StepState

from .choices import IssueStatus
from .models import Issue
from .selectors import adopted_with_both_sectors


def common_issues_step(community) -> StepState:
    """Step 3 is done when at least one adopted issue is endorsed by both the public and the private side."""
    # One aggregate query for the three figures.
    shared_ids = adopted_with_both_sectors(community).values("pk")
    counts = Issue.objects.in_community(community).aggregate(
        proposed=Count("pk"),
        adopted=Count("pk", filter=Q(status=IssueStatus.ADOPTED)),
        shared=Count("pk", filter=Q(pk__in=shared_ids)),
    )
    proposed, adopted, shared = counts["proposed"], counts["adopted"], counts["shared"]
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
