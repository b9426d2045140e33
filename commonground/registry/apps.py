from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "commonground.registry"
    label = "registry"
    verbose_name = _("Stakeholder registry")

    def ready(self):
        from commonground.communities import progress
        from commonground.core.backup import register_backup

        from . import backup, steps
        from .models import Invitation, Organization, Person

        progress.register_step(1, steps.leadership_step)
        progress.register_step(2, steps.table_step)
        register_backup(Organization, Person, Invitation, community_scope=backup.community_scope)
