"""Step 5 of the Partnership Model, judged from the organizations' self-assessments."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, StepState
from commonground.core.aggregates import table_member

from .selectors import assessed_organizations


def challenges_step(community) -> StepState:
    """Step 5 is done when the community's threshold share of its organizations has assessed its hazards.

    Judged as a plain member of the table sees it (`communities.progress`), so one organization's
    restricted assessment moves neither the line nor the status.
    """
    figure, members = assessed_organizations(viewer=table_member(community.pk), community=community)
    assessed = figure.value
    needed = -(-members * community.assessment_threshold // 100)  # ceiling
    done = members > 0 and assessed >= needed
    summary = _("%(assessed)d of %(members)d organizations have assessed their hazards; %(needed)d are needed.") % {
        "assessed": assessed, "members": members, "needed": needed,
    }  # fmt: skip
    missing = (
        []
        if done
        else [
            _("self-assessments from %(share)d%% of the organizations at the table")
            % {"share": community.assessment_threshold}
        ]
    )
    status = DONE if done else (IN_PROGRESS if assessed else NOT_STARTED)
    return StepState(5, status, summary, missing, reverse("risks:profile", args=[community.slug]))
