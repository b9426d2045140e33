import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from commonground.demo import demo_data


def site_url(port: int, environ=os.environ) -> str:
    """Return the address links should carry when the demo serves on `port`: invitation e-mails, the
    calendar subscription and iCalendar UIDs must reach this server, unless the environment's SITE_URL
    names another (a proxy in front)."""
    return environ.get("SITE_URL") or f"http://127.0.0.1:{port}"


class Command(BaseCommand):
    help = (
        "Create the data folder and database, load the demo community, and serve it on 127.0.0.1 "
        "as production serves (DEBUG off, static files from WhiteNoise)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database and stop.")

    def handle(self, *args, **options):
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        settings.SITE_URL = site_url(options["port"])
        call_command("migrate", interactive=False, verbosity=0)
        if demo_data.demo_exists():
            self.stdout.write("The demo community is already loaded.")
        else:
            self.stdout.write("Loading the demo community...")
            demo_data.load_demo()
        self.stdout.write(self.style.SUCCESS(f"\nDemo users (password: {demo_data.PASSWORD}):"))
        for username, role in demo_data.DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role}")
        if options["no_serve"]:
            return
        # As production serves them: collected into the data folder, answered by WhiteNoise (DEBUG is off).
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"\nServing on http://127.0.0.1:{options['port']}/ (Ctrl-C stops)")
        )
        self.stdout.write(f"Links in e-mails and calendars lead to {settings.SITE_URL}")
        # Large imports from the page, mail and other background work run in the task worker, as in production
        # (`commonground worker`: the database queue, or RQ when REDIS_URL is set).
        worker = subprocess.Popen(
            [sys.executable, "-m", "commonground.cli", "worker"],
            env={**os.environ, "SITE_URL": settings.SITE_URL},
        )
        try:
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
