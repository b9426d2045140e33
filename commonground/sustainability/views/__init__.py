"""The pages of step 6: the needs assessment, the goals and the tasks."""

from .needs import (
    AnswerView,
    AssessmentCreateView,
    AssessmentDetailView,
    AssessmentListView,
    ItemDeleteView,
    ItemEditView,
    ItemsView,
)
from .plan import GoalCreateView, GoalEditView, GoalListView, TaskCreateView, TaskDetailView, TaskEditView

__all__ = [
    "AnswerView", "AssessmentCreateView", "AssessmentDetailView", "AssessmentListView", "GoalCreateView",
    "GoalEditView", "GoalListView", "ItemDeleteView", "ItemEditView", "ItemsView", "TaskCreateView",
    "TaskDetailView", "TaskEditView",
]  # fmt: skip
