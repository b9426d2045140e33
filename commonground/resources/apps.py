from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "commonground.resources"
    label = "resources"
    verbose_name = _("Community resources")

    def ready(self):
        from commonground.communities import progress
        from commonground.registry.exports import EXPORTS
        from commonground.registry.imports import IMPORTERS

        from . import steps
        from .exports import resources_export
        from .imports import ResourceImporter

        progress.register_step(4, steps.resources_step)
        IMPORTERS[ResourceImporter.kind] = ResourceImporter
        EXPORTS["resources"] = resources_export
