"""The registry's fixed vocabularies; the stakeholder categories and CI sectors come from data files."""

import json
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

DATA_DIR = Path(__file__).resolve().parent / "data"


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    NONPROFIT = "nonprofit", _("Non-profit")


# The model pairs the public sector with "the business community": non-profits sit on its side.
PRIVATE_SIDE = (Sector.PRIVATE, Sector.NONPROFIT)


def side_of(sector: str) -> str:
    """Return 'public' or 'private': the side of the table an organization's sector sits on."""
    return "public" if sector == Sector.PUBLIC else "private"


class GovernmentLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    STATE = "state", _("State")
    FEDERAL = "federal", _("Federal")
    TRIBAL = "tribal", _("Tribal")


class PersonRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Organization admin")


@cache
def categories() -> list[dict]:
    """Return the stakeholder categories of the model's step 2, from the data file."""
    return json.loads((DATA_DIR / "categories.json").read_text())["categories"]


@cache
def ci_sectors() -> list[dict]:
    """Return the 16 critical infrastructure sectors, from the data file."""
    return json.loads((DATA_DIR / "ci_sectors.json").read_text())["sectors"]


CATEGORY_CHOICES = [(c["code"], c["label"]) for c in categories()]
CI_SECTOR_CHOICES = [(s["code"], s["label"]) for s in ci_sectors()]


def recommended_categories() -> list[dict]:
    return [c for c in categories() if c["recommended"]]


# Businesses "from the largest employer down to the smallest": employee-count bands.
EMPLOYEE_BANDS = [
    (1, 9, _("1-9")),
    (10, 49, _("10-49")),
    (50, 249, _("50-249")),
    (250, 999, _("250-999")),
    (1000, None, _("1,000 and more")),
]
