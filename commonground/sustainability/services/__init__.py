"""Step 6's writes: the needs assessment, goals and tasks, workshops and exercises; all audited."""

from .meetings import (
    MEETING_FIELDS,
    OBJECTIVE_FIELDS,
    OBSERVATION_FIELDS,
    attendance_record,
    corrective_action_create,
    meeting_create,
    meeting_delete,
    meeting_update,
    objective_create,
    objective_delete,
    observation_create,
    observation_delete,
)
from .needs import (
    ANSWER_FIELDS,
    ITEM_FIELDS,
    item_add,
    item_delete,
    item_update,
    need_rank_set,
    needs_answers_save,
    needs_answers_submit,
    needs_assessment_open,
    needs_assessment_update,
)
from .plans import GOAL_FIELDS, TASK_FIELDS, goal_create, goal_update, task_create, task_progress, task_update

__all__ = [
    "ANSWER_FIELDS", "GOAL_FIELDS", "ITEM_FIELDS", "MEETING_FIELDS", "OBJECTIVE_FIELDS", "OBSERVATION_FIELDS",
    "TASK_FIELDS", "needs_answers_save", "needs_answers_submit", "needs_assessment_open", "needs_assessment_update", "attendance_record",
    "corrective_action_create", "goal_create", "goal_update", "item_add", "item_delete",
    "item_update", "meeting_create", "need_rank_set", "meeting_delete", "meeting_update", "objective_create", "objective_delete",
    "observation_create", "observation_delete", "task_create", "task_progress", "task_update",
]  # fmt: skip
