"""The incident pages: the list and the board, requests, the plan, the timeline. One module a subject."""

from .incidents import (
    IncidentBoardView,
    IncidentCloseView,
    IncidentCreateView,
    IncidentEditView,
    IncidentListView,
    IncidentLiveView,
    IncidentLogView,
    PeriodCreateView,
    SitrepCreateView,
)
from .plans import AssignmentActionView, GapToNeedsView, PlanProposeView
from .requests import RequestCreateView, RequestDetailView, RequestEditView, RequestTransitionView

__all__ = [
    "AssignmentActionView", "GapToNeedsView", "IncidentBoardView", "IncidentCloseView", "IncidentCreateView",
    "IncidentEditView", "IncidentListView", "IncidentLiveView", "IncidentLogView", "PeriodCreateView",
    "PlanProposeView", "RequestCreateView", "RequestDetailView", "RequestEditView", "RequestTransitionView",
    "SitrepCreateView",
]  # fmt: skip
