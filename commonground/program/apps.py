from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramConfig(AppConfig):
    name = "commonground.program"
    label = "program"
    verbose_name = _("Program statistics")

    def ready(self):
        from commonground.core.audit import register_listener
        from commonground.core.backup import register_backup

        from . import backup, stamp
        from .models import StepRecord

        register_backup(StepRecord, community_scope=backup.community_scope)
        register_listener(stamp.written)
