from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "commonground.registry"
    label = "registry"
    verbose_name = _("Stakeholder registry")

    def ready(self):
        from commonground.accounts.leaving import register_people_resolver
        from commonground.communities import progress
        from commonground.core.backup import register_backup
        from commonground.core.exchange import register_export, register_importer

        from . import backup, exports, imports, leaving, steps
        from .models import Invitation, Organization, Person

        progress.register_step(1, steps.leadership_step)
        progress.register_step(2, steps.table_step)
        register_importer(imports.OrganizationImporter, listed_at="registry:organizations")
        register_importer(imports.PersonImporter, listed_at="registry:people")
        register_export("organizations", exports.organizations_export)
        register_export("people", exports.people_export)
        register_backup(Organization, Person, Invitation, community_scope=backup.community_scope)
        register_people_resolver(leaving.people_leaving)
