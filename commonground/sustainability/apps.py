from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SustainabilityConfig(AppConfig):
    name = "commonground.sustainability"
    label = "sustainability"
    verbose_name = _("Needs, goals and tasks")

    def ready(self):
        from commonground.accounts.leaving import register_leaving_step
        from commonground.communities import progress
        from commonground.core.audit import register_listener
        from commonground.core.backup import register_backup
        from commonground.core.exchange import register_export

        from . import backup, exports, measures, needs_sums, steps
        from . import models as m
        from .services.plans import tasks_hand_back

        progress.register_step(6, steps.sustainability_step)
        register_listener(needs_sums.written)
        register_leaving_step("tasks", tasks_hand_back)
        progress.register_panel(
            "sustainability/_measures_panel.html", measures.dashboard_context, shared=measures.shared_figures
        )
        progress.register_clock(measures.next_meeting_start)
        register_export("needs_answers", exports.answers_export)
        register_export("prioritized_needs", exports.needs_export)
        register_export("goals", exports.goals_export)
        register_export("tasks", exports.tasks_export)
        register_export("meetings", exports.meetings_export)
        register_backup(
            m.NeedsAssessment,
            m.NeedsItem,
            m.NeedsAnswer,
            m.NeedProposal,
            m.Meeting,
            m.Attendance,
            m.ExerciseObjective,
            m.Observation,
            m.Goal,
            m.Task,
            community_scope=backup.community_scope,
        )
