from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "commonground.newsletters"
    label = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self):
        from commonground.communities import progress
        from commonground.core.backup import register_backup

        from . import backup, selectors
        from .models import Delivery, Newsletter, Section, Segment

        register_backup(Segment, Newsletter, Section, Delivery, community_scope=backup.community_scope)
        progress.register_panel("newsletters/_panel.html", selectors.dashboard_context)
