"""Export the common issues a reader may see, ranked by collective impact, with the figures behind the score."""

from __future__ import annotations

from commonground.core.exchange import Export
from commonground.core.tlp import TLP, narrowest
from commonground.core.visibility import Viewer

from . import selectors
from .impact import ranked

COLUMNS = [
    "rank", "title", "status", "mission_area", "hazards", "situation", "outcome", "proposed_by", "endorsing",
    "public", "private_and_nonprofit", "share_of_table", "categories", "mean_severity", "collective_impact",
    "agenda_place", "tlp",
]  # fmt: skip


def issues_export(*, viewer: Viewer, community) -> Export:
    issues = ranked(selectors.issue_list(viewer=viewer, community=community).prefetch_related("hazards"))

    def rows():
        for place, issue in enumerate(issues, start=1):
            impact = issue.impact
            yield [
                place, issue.title, issue.status, issue.mission_area, "; ".join(h.name for h in issue.hazards.all()),
                issue.situation, issue.outcome, issue.organization.name, impact.endorsing, impact.public,
                impact.private_side, round(impact.share, 3), impact.categories, round(impact.mean_severity, 2),
                impact.score, issue.agenda_rank, issue.tlp,
            ]  # fmt: skip

    return Export(COLUMNS, rows(), narrowest([TLP.CLEAR, *(i.tlp for i in issues)]), "issues")
