import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commonground.core import exchange
from commonground.core.services import viewer_of
from commonground.exchange.selectors import NoSuchExport, export_build

from ._common import community_and_actor


class Command(BaseCommand):
    help = "Export a community's records or figures to CSV or XLSX, as the user may see them (a member or facilitator)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(exchange.EXPORTS))
        parser.add_argument("--community", required=True, help="Slug of the community.")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", "-o", type=Path, help="File to write (default: standard output for CSV)."
        )
        parser.add_argument(
            "--as", dest="username", help="Export what this user may see (default: the system)."
        )

    def handle(self, *args, kind, community, format, output, username, **options):
        community, actor = community_and_actor(community, username)
        output = Path(output) if output else None
        try:
            export = export_build(viewer=viewer_of(actor), kind=kind, community=community)
        except NoSuchExport:
            raise CommandError(
                f"There is no community '{community.slug}' that user '{username}' may open: "
                "only its members and facilitators export from it. Nothing was written."
            ) from None
        content, count = exchange.render(export, format)
        if output is None and format == "xlsx":
            output = Path(f"{community.slug}-{kind}.xlsx")
        if output is None:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        else:
            output.write_bytes(content)
        self.stderr.write(f"{count} {kind} exported ({export.marking})" + (f" to {output}" if output else ""))
