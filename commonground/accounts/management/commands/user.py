from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from commonground.accounts.services import user_deactivate
from commonground.accounts.services.facilitators import login_for_email


class Command(BaseCommand):
    help = "Deactivate a login: it can no longer sign in, and its sessions, tokens and tasks end at once."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        deactivate = actions.add_parser("deactivate", help="Deactivate the login with this e-mail address.")
        deactivate.add_argument("email")

    def handle(self, *args, action, email, **options):
        try:
            user = login_for_email(email)
            if user is None:
                raise ValidationError({"email": f"No login has the e-mail address {email}."})
            user_deactivate(actor=None, user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"{user.email} is deactivated; their access has ended."))
