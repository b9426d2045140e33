import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from commonground.core import exchange
from commonground.core.services import viewer_of

from ._common import community_and_actor


class Command(BaseCommand):
    help = "Export a community's organizations or people to CSV or XLSX, with TLP applied for the user."

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
        export = exchange.EXPORTS[kind](viewer=viewer_of(actor), community=community)
        content, count = exchange.render(export, format)
        if output is None and format == "xlsx":
            output = Path(f"{community.slug}-{kind}.xlsx")
        if output is None:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        else:
            output.write_bytes(content)
        self.stderr.write(f"{count} {kind} exported ({export.marking})" + (f" to {output}" if output else ""))
