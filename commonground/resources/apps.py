from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "commonground.resources"
    label = "resources"
    verbose_name = _("Community resources")

    def ready(self):
        from commonground.accounts.leaving import register_leaving_step
        from commonground.communities import progress
        from commonground.core.backup import register_backup
        from commonground.core.exchange import register_export, register_importer

        from . import backup, leaving, steps
        from .exports import resources_export
        from .imports import ResourceImporter
        from .models import Agreement, Resource

        progress.register_step(4, steps.resources_step)
        register_importer(ResourceImporter, listed_at="resources:resources")
        register_export("resources", resources_export)
        register_backup(Resource, Agreement, community_scope=backup.community_scope)
        register_leaving_step("red_recipients", leaving.red_recipients_review)
