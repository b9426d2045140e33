from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "commonground.risks"
    label = "risks"
    verbose_name = _("Hazards and risks")

    def ready(self):
        from django.db.models.signals import post_migrate

        from commonground.agenda.hazards import register_hazard_source
        from commonground.communities import progress
        from commonground.core.backup import register_backup
        from commonground.core.exchange import register_export

        from . import backup, catalogue, exports, profile, selectors, steps
        from .models import CriticalFunction, Hazard, HazardAssessment

        progress.register_step(5, steps.challenges_step)
        register_hazard_source(choices=selectors.hazard_list, risks=profile.hazard_risks)
        register_export("assessments", exports.assessments_export)
        register_export("risk_profile", exports.risk_profile_export)
        register_export("critical_functions", exports.functions_export)
        post_migrate.connect(catalogue.load_after_migrate, sender=self, dispatch_uid="risks.hazard_catalogue")
        register_backup(Hazard, CriticalFunction, HazardAssessment, community_scope=backup.community_scope)
