"""The vocabularies of step 6: where a gap lies (POETE), and the needs-assessment template."""

import json
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data"


class Poete(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ORGANIZATION = "organization", _("Organization")
    EQUIPMENT = "equipment", _("Equipment")
    TRAINING = "training", _("Training")
    EXERCISES = "exercises", _("Exercises")


class Level(models.IntegerChoices):
    NONE = 1, _("1 · Not in place")
    STARTED = 2, _("2 · Started")
    PARTIAL = 3, _("3 · Partly in place")
    MOSTLY = 4, _("4 · Mostly in place")
    FULL = 5, _("5 · Fully in place and exercised")


class Importance(models.IntegerChoices):
    LOW = 1, _("1 · Low")
    MODEST = 2, _("2 · Modest")
    MEDIUM = 3, _("3 · Medium")
    HIGH = 4, _("4 · High")
    CRITICAL = 5, _("5 · Critical")


@cache
def needs_template() -> list[dict]:
    """Return the template's items: the core capabilities of the National Preparedness Goal by mission area."""
    return json.loads((DATA / "needs_template.json").read_text())["items"]
