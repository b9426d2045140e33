"""Step 6: the needs assessment, the goals and tasks, and the workshops and exercises."""

from .meetings import Attendance, ExerciseObjective, Meeting, MeetingQuerySet, Observation
from .needs import SCORE, NeedProposal, NeedsAnswer, NeedsAssessment, NeedsItem
from .plans import Goal, GoalQuerySet, Task
from .sums import NeedsSums, NeedsSumsStamp

__all__ = [
    "SCORE", "Attendance", "ExerciseObjective", "Goal", "GoalQuerySet", "Meeting", "MeetingQuerySet", "NeedProposal", "NeedsAnswer",
    "NeedsAssessment", "NeedsItem", "NeedsSums", "NeedsSumsStamp", "Observation", "Task",
]  # fmt: skip
