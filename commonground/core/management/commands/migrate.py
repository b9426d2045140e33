"""`commonground migrate`, made safe to run on every server as it starts.

On PostgreSQL the migration runs under a session-wide advisory lock: when several servers start at once, one
migrates and the others wait for it, then find nothing left to do. SQLite has one server, and its own lock.
"""

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

# pg_advisory_lock's key: any 64-bit number the installation uses for nothing else ("cgmigrat").
MIGRATION_LOCK = 0x63676D6967726174


class Command(MigrateCommand):
    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(*args, **options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        try:
            return super().handle(*args, **options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
