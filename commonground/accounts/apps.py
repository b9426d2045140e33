from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "commonground.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from commonground.core.backup import register_backup

        from . import backup, signals
        from .models import ApiToken, User
        from .twofactor import policy  # noqa: F401  (works out a session's two-step standing at sign-in)

        register_backup(User, ApiToken, community_scope=backup.community_scope)
        user_logged_in.connect(signals.signed_in, dispatch_uid="accounts.signed_in")
        user_logged_out.connect(signals.signed_out, dispatch_uid="accounts.signed_out")
