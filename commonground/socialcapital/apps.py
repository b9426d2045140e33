from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialCapitalConfig(AppConfig):
    name = "commonground.socialcapital"
    label = "socialcapital"
    verbose_name = _("Social capital")

    def ready(self):
        from commonground.communities import progress
        from commonground.core.backup import register_backup

        from . import backup, selectors
        from .models import Introduction, NetworkSnapshot

        register_backup(NetworkSnapshot, Introduction, community_scope=backup.community_scope)
        progress.register_panel("socialcapital/_network_panel.html", selectors.dashboard_context)
