"""Step 4 of the Partnership Model, judged from the resource database."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, StepState
from commonground.core.services import SYSTEM

from .selectors import partnership_contribution


def resources_step(community) -> StepState:
    """Step 4 is done when both sectors record resources, including some the public sector lacks."""
    contribution = partnership_contribution(viewer=SYSTEM, community=community)
    held = [c for c in contribution.categories if not c.gap]
    missing = []
    if not any(c.public for c in contribution.categories):
        missing.append(_("resources recorded by public-sector organizations"))
    if not any(c.private for c in contribution.categories):
        missing.append(_("resources recorded by private-sector or non-profit organizations"))
    if contribution.both_sides and not contribution.private_only:
        missing.append(_("a resource in a category where public bodies hold none"))
    status = DONE if not missing else (IN_PROGRESS if held else NOT_STARTED)
    summary = _(
        "%(held)d of %(all)d support functions have resources; the private side alone covers %(added)d."
    ) % {
        "held": len(held),
        "all": len(contribution.categories),
        "added": len(contribution.private_only),
    }
    return StepState(4, status, summary, missing, reverse("resources:resources", args=[community.slug]))
