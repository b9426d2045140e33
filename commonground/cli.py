"""The `commonground` console command: the project's manage.py under the product's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    if sys.argv[1:2] == ["demo"]:
        os.environ.setdefault("DEBUG", "1")  # the demo is the one place DEBUG is on by default
    from django.core.management import execute_from_command_line

    execute_from_command_line(["commonground", *sys.argv[1:]])


if __name__ == "__main__":
    main()
