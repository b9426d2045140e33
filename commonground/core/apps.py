from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commonground.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import backup
        from .models import AuditEntry, AuditRecipient

        backup.register_backup(AuditEntry, AuditRecipient, community_scope=backup.audit_community_scope)
