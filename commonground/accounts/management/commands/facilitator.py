from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from commonground.accounts.services import facilitator_add, facilitator_remove


class Command(BaseCommand):
    help = "Name a facilitator (mailing them a link to set their password), or remove one."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser(
            "add", help="Make the login with this e-mail a facilitator, creating it if new."
        )
        add.add_argument("email")
        remove = actions.add_parser(
            "remove", help="Take the facilitator role from the login with this e-mail."
        )
        remove.add_argument("email")

    def handle(self, *args, action, email, **options):
        service = {"add": facilitator_add, "remove": facilitator_remove}[action]
        try:
            user = service(actor=None, email=email)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        if action == "add":
            self.stdout.write(
                self.style.SUCCESS(f"{user.email} is a facilitator; a link to set the password was mailed.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"{user.email} is no longer a facilitator."))
