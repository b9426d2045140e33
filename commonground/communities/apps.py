from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "commonground.communities"
    label = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from commonground.accounts.twofactor.policy import register_requirement
        from commonground.core.audit import register_listener
        from commonground.core.backup import register_backup

        from . import backup, snapshots
        from .models import CoChair, Community, Membership
        from .twofactor import leaders_sign_in_in_two_steps

        register_requirement(leaders_sign_in_in_two_steps)
        register_listener(snapshots.written)
        register_backup(Community, Membership, CoChair, community_scope=backup.community_scope)
