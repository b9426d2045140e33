"""Step 5 of the Partnership Model, judged from the organizations' self-assessments."""

from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, StepState
from commonground.core.aggregates import disclosed_count

from .selectors import assessed_organizations


def challenges_step(community) -> StepState:
    """Step 5 is done when the community's threshold share of its organizations has assessed its hazards."""
    assessed, members = assessed_organizations(community)
    needed = -(-members * community.assessment_threshold // 100)  # ceiling
    done = members > 0 and assessed >= needed
    shown = disclosed_count(assessed)
    summary = (
        _("%(assessed)d of %(members)d organizations have assessed their hazards; %(needed)d are needed.")
        % {"assessed": shown, "members": members, "needed": needed}
        if shown is not None
        else _(
            "Fewer than three of %(members)d organizations have assessed their hazards; %(needed)d are needed."
        )
        % {"members": members, "needed": needed}
    )
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
