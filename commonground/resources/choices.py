"""The vocabularies of the resource database: NIMS kinds, ESF categories, availability and terms."""

import json
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data"


class ResourceKind(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    TEAM = "team", _("Team")
    EQUIPMENT = "equipment", _("Equipment")
    SUPPLY = "supply", _("Supply")
    FACILITY = "facility", _("Facility")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    COMMITTED = "committed", _("Committed")
    DEPLOYED = "deployed", _("Deployed to an incident")
    OUT_OF_SERVICE = "out_of_service", _("Out of service")


class SharingTerms(models.TextChoices):
    DONATION = "donation", _("Donation")
    LOAN = "loan", _("Loan")
    PAID = "paid", _("Paid")
    MUTUAL_AID = "mutual_aid", _("Under a mutual-aid agreement")


class CapabilityType(models.IntegerChoices):
    TYPE_1 = 1, _("Type 1 (most capable)")
    TYPE_2 = 2, _("Type 2")
    TYPE_3 = 3, _("Type 3")
    TYPE_4 = 4, _("Type 4")


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    MUTUAL_AID = "mutual_aid", _("Mutual-aid agreement")
    CONTRACT = "contract", _("Pre-positioned contract")
    OTHER = "other", _("Other agreement")


@cache
def categories() -> list[dict]:
    """Return the Emergency Support Functions, the categories resources are filed under."""
    return json.loads((DATA / "categories.json").read_text())


CATEGORY_CHOICES = [(c["code"], f"ESF {c['number']} {c['name']}") for c in categories()]
