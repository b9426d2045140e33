#!/usr/bin/env python
"""Django's manage.py; the same as the `commonground` command."""

from commonground.cli import main

if __name__ == "__main__":
    main()
