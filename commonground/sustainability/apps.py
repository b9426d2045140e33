from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SustainabilityConfig(AppConfig):
    name = "commonground.sustainability"
    label = "sustainability"
    verbose_name = _("Needs, goals and tasks")

    def ready(self):
        from commonground.communities import progress

        from . import steps

        progress.register_step(6, steps.sustainability_step)
