from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "commonground.agenda"
    label = "agenda"
    verbose_name = _("Common issues")

    def ready(self):
        from commonground.communities import progress
        from commonground.core.backup import register_backup
        from commonground.core.exchange import register_export

        from . import backup, exports, steps
        from .models import Ballot, Comment, Endorsement, Issue, Vote

        progress.register_step(3, steps.common_issues_step)
        register_export("issues", exports.issues_export)
        register_backup(Issue, Endorsement, Comment, Vote, Ballot, community_scope=backup.community_scope)
