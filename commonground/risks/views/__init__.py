"""The pages of step 5: hazards, critical functions, assessments and the community risk profile."""

from .assessments import (
    AssessmentCreateView,
    AssessmentDeleteView,
    AssessmentDetailView,
    AssessmentEditView,
    AssessmentListView,
    FunctionCreateView,
    FunctionDeleteView,
    FunctionEditView,
    FunctionListView,
)
from .hazards import HazardCreateView, HazardDetailView, HazardListView
from .profile import RiskProfilePrintView, RiskProfileView

__all__ = [
    "AssessmentCreateView", "AssessmentDeleteView", "AssessmentDetailView", "AssessmentEditView",
    "AssessmentListView", "FunctionCreateView", "FunctionDeleteView", "FunctionEditView", "FunctionListView",
    "HazardCreateView", "HazardDetailView", "HazardListView", "RiskProfilePrintView", "RiskProfileView",
]  # fmt: skip
