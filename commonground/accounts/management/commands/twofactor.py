from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from commonground.accounts.twofactor.services import two_factor_reset


class Command(BaseCommand):
    help = "Turn off a login's two-step sign-in (a lost phone and no recovery codes left)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        reset = actions.add_parser("reset", help="Remove the login's authenticator app and recovery codes.")
        reset.add_argument("username")

    def handle(self, *args, action, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No login is named {username!r}.")
        try:
            two_factor_reset(actor=None, user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{username} signs in with the password alone until they set up an app.")
        )
