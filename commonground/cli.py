"""The `commonground` console command: the project's manage.py under the product's name."""

import os
import sys

# The demo runs as production runs (DEBUG off, static files from WhiteNoise), with the differences a
# laptop needs: it serves plain HTTP on 127.0.0.1, so no redirect to HTTPS and no secure-only cookies,
# and every page says it is a demonstration. Its facilitator need not enrol a second sign-in step (its
# logins share one published password); anyone may still enrol one. The environment still wins over each.
DEMO_ENVIRONMENT = {
    "COMMONGROUND_DEMO": "1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    # The demo's logins and passwords are printed on its login page: a second step would protect nothing.
    "TWO_FACTOR_REQUIRED_FOR_FACILITATORS": "0",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    if sys.argv[1:2] == ["demo"]:
        for name, value in DEMO_ENVIRONMENT.items():
            os.environ.setdefault(name, value)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["commonground", *sys.argv[1:]])


if __name__ == "__main__":
    main()
