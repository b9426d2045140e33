"""Export step 5 as the reader may see it: assessments and critical functions one by one, and the risk profile."""

from __future__ import annotations

from commonground.core.exchange import Export
from commonground.core.visibility import Viewer

from . import selectors
from .profile import kept_risk_profile
from .services import ASSESSMENT_FIELDS, FUNCTION_FIELDS

ASSESSMENT_COLUMNS = ["organization", "sector", "hazard", *ASSESSMENT_FIELDS]
FUNCTION_COLUMNS = ["organization", *FUNCTION_FIELDS]
PROFILE_COLUMNS = [
    "hazard", "kind", "organizations", "public", "private", "nonprofit", "likelihood", "impact", "risk",
    "band", "vulnerability", "preparedness", "shared_by_both_sectors",
]  # fmt: skip


def assessments_export(*, viewer: Viewer, community) -> Export:
    """The assessments the reader may see, marked with the narrowest marking among them."""
    queryset = selectors.hazard_assessment_list(viewer=viewer, community=community).order_by(
        "organization__name", "hazard__name", "pk"
    )
    fields = ["organization__name", "organization__sector", "hazard__name", *ASSESSMENT_FIELDS]
    rows = (list(values) for values in queryset.values_list(*fields).iterator(chunk_size=2000))
    return Export(ASSESSMENT_COLUMNS, rows, queryset.narrowest_marking(), "assessments")


def functions_export(*, viewer: Viewer, community) -> Export:
    queryset = selectors.function_list(viewer=viewer, community=community).order_by(
        "organization__name", "name", "pk"
    )
    rows = (
        list(values)
        for values in queryset.values_list("organization__name", *FUNCTION_FIELDS).iterator(chunk_size=2000)
    )
    return Export(FUNCTION_COLUMNS, rows, queryset.narrowest_marking(), "critical-functions")


def risk_profile_export(*, viewer: Viewer, community) -> Export:
    """The joint figures per hazard, ranked, as the reader may see them (`core.aggregates`)."""
    profile = kept_risk_profile(viewer=viewer, community=community)

    def rows():
        for risk in profile.ranked:
            hazard = risk.hazard
            yield [
                hazard.name, hazard.kind, risk.organizations, risk.public, risk.by_sector.get("private", 0),
                risk.by_sector.get("nonprofit", 0), risk.likelihood, risk.impact, risk.score, risk.band[0],
                risk.vulnerability, risk.preparedness, risk.shared,
            ]  # fmt: skip

    return Export(PROFILE_COLUMNS, rows(), profile.marking, "risk-profile")
