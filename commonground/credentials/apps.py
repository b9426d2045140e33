from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "commonground.credentials"
    label = "credentials"
    verbose_name = _("Re-entry credentials")

    def ready(self):
        from commonground.communities import progress
        from commonground.core.backup import register_backup
        from commonground.core.exchange import register_importer

        from . import backup, permissions
        from .imports import NominationImporter

        register_backup(*backup.MODELS, community_scope=backup.community_scope)
        register_importer(NominationImporter, listed_at="credentials:nominations")
        progress.register_panel(
            "credentials/_panel.html",
            lambda viewer, community: {
                "can_see": permissions.can_see_program(viewer, community),
                "community": community,
            },
        )
