"""The pages of step 6: the needs assessment, the goals and the tasks, the workshops and exercises."""

from .answers import AnswerAreaView, AnswerView
from .calendar import CalendarFeedView, CalendarView
from .meetings import (
    AttendanceView,
    CorrectiveActionCreateView,
    MeetingCreateView,
    MeetingDeleteView,
    MeetingDetailView,
    MeetingEditView,
    MeetingListView,
    ObjectiveCreateView,
    ObjectiveDeleteView,
    ObservationCreateView,
    ObservationDeleteView,
)
from .needs import (
    AssessmentCreateView,
    AssessmentDetailView,
    AssessmentListView,
    ItemDeleteView,
    ItemEditView,
    ItemsView,
    NeedRankView,
)
from .partnership_plan import PartnershipPlanView
from .plan import GoalCreateView, GoalEditView, GoalListView, TaskCreateView, TaskDetailView, TaskEditView

__all__ = [
    "NeedRankView",
    "PartnershipPlanView",
    "CalendarFeedView", "CalendarView",
    "AttendanceView", "CorrectiveActionCreateView", "MeetingCreateView", "MeetingDeleteView", "MeetingDetailView",
    "MeetingEditView", "MeetingListView", "ObjectiveCreateView", "ObjectiveDeleteView", "ObservationCreateView",
    "ObservationDeleteView",
    "AnswerAreaView", "AnswerView", "AssessmentCreateView", "AssessmentDetailView", "AssessmentListView", "GoalCreateView",
    "GoalEditView", "GoalListView", "ItemDeleteView", "ItemEditView", "ItemsView", "TaskCreateView",
    "TaskDetailView", "TaskEditView",
]  # fmt: skip
