"""The kinds of tie the record shows between two organizations, and the one rule that turns them into a
strength on PARTNER's scale."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TieType(models.TextChoices):
    """Where a tie comes from: each is read from one app's records (`ties.py`)."""

    INVITATION = "invitation", _("brought to the table")
    MEETING = "meeting", _("met at a meeting")
    ENDORSEMENT = "endorsement", _("endorsed the same issue")
    GOAL = "goal", _("work on the same goal")
    AGREEMENT = "agreement", _("share an agreement")
    MUTUAL_AID = "mutual_aid", _("gave aid in an incident")


class PartnerLevel(models.IntegerChoices):
    """PARTNER CPRM's levels of a relationship, weakest first."""

    AWARENESS = 1, _("awareness")
    COOPERATION = 2, _("cooperation")
    COORDINATION = 3, _("coordination")
    INTEGRATION = 4, _("integration")


# The rule, in one place: what each kind of tie says of a relationship. Knowing of each other (one brought the
# other, they sat in the same room) is awareness; standing behind the same issue is cooperation; carrying a
# shared goal's tasks or moving resources in an incident is coordination; a written sharing agreement is
# integration. A pair's strength is the strongest of its ties.
LEVEL_OF = {
    TieType.INVITATION: PartnerLevel.AWARENESS,
    TieType.MEETING: PartnerLevel.AWARENESS,
    TieType.ENDORSEMENT: PartnerLevel.COOPERATION,
    TieType.GOAL: PartnerLevel.COORDINATION,
    TieType.MUTUAL_AID: PartnerLevel.COORDINATION,
    TieType.AGREEMENT: PartnerLevel.INTEGRATION,
}


def tie_strength(types) -> PartnerLevel:
    """Return the PARTNER level of a pair tied by these kinds of tie (the strongest of them)."""
    return max(LEVEL_OF[TieType(kind)] for kind in types)


# A record shared by a group ties each pair of it only while the group is small enough to work together: a
# plenary meeting of the whole table, or an issue everyone endorsed, says nothing of who works with whom.
GROUP_TIE_MAX_ORGANIZATIONS = 12

# Above this many organizations betweenness is estimated by sampling (with its error bound), below it exact:
# exact takes one shortest-path search from each organization, so up to about that many it is cheap enough and
# the better.
EXACT_BETWEENNESS_MAX_NODES = 5000
# The sampled estimate: within EPSILON of the exact share of shortest paths through each node (times n/(n-2),
# networkx's normalization), with probability 1 - DELTA: KADABRA (Borassi and Natale 2016,
# networkit.centrality.KadabraBetweenness), which samples pairs until its adaptive bound or at most
# (0.5/EPSILON^2)(log2(D - 1) + 1 + ln(0.5/DELTA)) pairs (D: the diameter) and finds each pair's shortest paths
# by a search from both ends. 10,000 organizations and 100,000 ties take about 2,000 to 3,500 samples and a
# few seconds of CPU (bench/network.py); Riondato and Kornaropoulos' ApproxBetweenness took 5.6 ms of CPU a
# sample there (about 3,300 samples at 0.04, 19 s of CPU), too dear for the 5 s goal.
BETWEENNESS_EPSILON = 0.04
BETWEENNESS_DELTA = 0.1


def side_of(sector: str) -> str:
    """Return the side of the model's partnership a sector stands on: the public one, or the business one
    (private and non-profit, as `registry.choices.PRIVATE_SIDE` has it)."""
    return "public" if sector == "public" else "private"
