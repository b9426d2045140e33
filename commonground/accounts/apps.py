from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "commonground.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from rest_framework.authtoken.models import Token

        from commonground.core.backup import register_backup

        from . import backup
        from .models import User
        from .twofactor import policy  # noqa: F401  (works out a session's two-step standing at sign-in)

        register_backup(User, Token, community_scope=backup.community_scope)
