from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SustainabilityConfig(AppConfig):
    name = "commonground.sustainability"
    label = "sustainability"
    verbose_name = _("Needs, goals and tasks")

    def ready(self):
        from commonground.communities import progress
        from commonground.registry.exports import EXPORTS

        from . import exports, measures, steps

        progress.register_step(6, steps.sustainability_step)
        progress.register_panel("sustainability/_measures_panel.html", measures.dashboard_context)
        EXPORTS["needs_answers"] = exports.answers_export
        EXPORTS["prioritized_needs"] = exports.needs_export
        EXPORTS["goals"] = exports.goals_export
        EXPORTS["tasks"] = exports.tasks_export
        EXPORTS["meetings"] = exports.meetings_export
