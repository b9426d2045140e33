from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "commonground.risks"
    label = "risks"
    verbose_name = _("Hazards and risks")

    def ready(self):
        from commonground.agenda.hazards import register_hazard_source
        from commonground.communities import progress
        from commonground.registry.exports import EXPORTS

        from . import exports, profile, selectors, steps

        progress.register_step(5, steps.challenges_step)
        register_hazard_source(choices=selectors.hazard_list, risks=profile.hazard_risks)
        EXPORTS["assessments"] = exports.assessments_export
        EXPORTS["risk_profile"] = exports.risk_profile_export
        EXPORTS["critical_functions"] = exports.functions_export
