"""The vocabularies of step 3: mission areas, what becomes of an issue, and how co-chairs vote."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.core.tlp import TLP


class MissionArea(models.TextChoices):
    PLANNING = "planning", _("Planning")
    MITIGATION = "mitigation", _("Mitigation")
    RESPONSE = "response", _("Response")
    RECOVERY = "recovery", _("Recovery")


class IssueStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted onto the agenda")
    SET_ASIDE = "set_aside", _("Set aside")
    MERGED = "merged", _("Merged into another issue")


class Decision(models.TextChoices):
    ADOPT = "adopt", _("Adopt onto the agenda")
    SET_ASIDE = "set_aside", _("Set aside")
    REOPEN = "reopen", _("Reopen for endorsement")


class VoteKind(models.TextChoices):
    RANKED = "ranked", _("Ranked (each organization orders the issues)")
    DOT = "dot", _("Dot vote (each organization spreads its dots)")


class VoteStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Severity(models.IntegerChoices):
    SLIGHT = 1, _("1 · Slight")
    MODERATE = 2, _("2 · Moderate")
    SERIOUS = 3, _("3 · Serious")
    SEVERE = 4, _("4 · Severe")
    CRITICAL = 5, _("5 · Critical")


# An issue is put to the whole table: it is TLP:GREEN, or TLP:CLEAR for one the partnership may publish.
ISSUE_MARKINGS = [(TLP.CLEAR.value, TLP.CLEAR.label), (TLP.GREEN.value, TLP.GREEN.label)]
