"""Steps 1 and 2 of the Partnership Model, judged from the registry's data."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.communities.models import CoChair
from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, StepState

from .choices import side_of
from .selectors import category_summary


def leadership_step(community) -> StepState:
    """Step 1 is done with a public and a private co-chair from distinct organizations."""
    cochairs = CoChair.objects.filter(community=community).select_related("person__organization")
    public = {c.person.organization_id for c in cochairs if side_of(c.person.organization.sector) == "public"}
    private = {
        c.person.organization_id for c in cochairs if side_of(c.person.organization.sector) == "private"
    }
    distinct = bool(public and private and len(public | private) >= 2)
    missing = []
    if not public:
        missing.append(_("a co-chair from a public-sector organization"))
    if not private:
        missing.append(_("a co-chair from a private-sector or non-profit organization"))
    if public and private and not distinct:
        missing.append(_("co-chairs from two distinct organizations"))
    status = DONE if distinct else (IN_PROGRESS if cochairs else NOT_STARTED)
    summary = (
        _("Leadership is co-shared by the public and private sectors.")
        if distinct
        else _("Leadership is not yet co-shared.")
    )
    return StepState(1, status, summary, missing, reverse("communities:leadership", args=[community.slug]))


def table_step(community) -> StepState:
    """Step 2 is done when the recommended categories at the table reach the community's threshold."""
    coverage = category_summary(community)
    if coverage.meets_threshold:
        status = DONE
    elif coverage.total:
        status = IN_PROGRESS
    else:
        status = NOT_STARTED
    summary = _(
        "%(percent)d%% of the recommended stakeholder categories are at the table (goal: %(goal)d%%)."
    ) % {
        "percent": coverage.percent,
        "goal": coverage.threshold,
    }
    missing = [str(c.label) for c in coverage.missing] if not coverage.meets_threshold else []
    return StepState(2, status, summary, missing, reverse("registry:coverage", args=[community.slug]))
