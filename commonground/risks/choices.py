"""The vocabularies of step 5: kinds of hazard and FEMA's community lifelines."""

import json
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data"


class HazardKind(models.TextChoices):
    NATURAL = "natural", _("Natural")
    TECHNOLOGICAL = "technological", _("Technological")
    HUMAN_CAUSED = "human_caused", _("Human-caused")


class Lifeline(models.TextChoices):
    SAFETY_SECURITY = "safety_security", _("Safety and security")
    FOOD_SHELTER = "food_shelter", _("Food, hydration, shelter")
    HEALTH_MEDICAL = "health_medical", _("Health and medical")
    ENERGY = "energy", _("Energy (power and fuel)")
    COMMUNICATIONS = "communications", _("Communications")
    TRANSPORTATION = "transportation", _("Transportation")
    HAZARDOUS_MATERIALS = "hazardous_materials", _("Hazardous materials")
    WATER = "water", _("Water systems")


@cache
def hazard_catalogue() -> list[dict]:
    """Return the hazards every community starts with: the National Risk Index's 18, pandemic, and CPG 201's others."""
    return json.loads((DATA / "hazards.json").read_text())
