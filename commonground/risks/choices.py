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


class Likelihood(models.IntegerChoices):
    RARE = 1, _("1 · Rare")
    UNLIKELY = 2, _("2 · Unlikely")
    POSSIBLE = 3, _("3 · Possible")
    LIKELY = 4, _("4 · Likely")
    ALMOST_CERTAIN = 5, _("5 · Almost certain")


class Impact(models.IntegerChoices):
    NEGLIGIBLE = 1, _("1 · Negligible")
    MINOR = 2, _("2 · Minor")
    MODERATE = 3, _("3 · Moderate")
    MAJOR = 4, _("4 · Major")
    CATASTROPHIC = 5, _("5 · Catastrophic")


class Vulnerability(models.IntegerChoices):
    VERY_LOW = 1, _("1 · Very low")
    LOW = 2, _("2 · Low")
    MODERATE = 3, _("3 · Moderate")
    HIGH = 4, _("4 · High")
    VERY_HIGH = 5, _("5 · Very high")


class Preparedness(models.IntegerChoices):
    NONE = 1, _("1 · None")
    MINIMAL = 2, _("2 · Minimal")
    PARTIAL = 3, _("3 · Partial")
    SUBSTANTIAL = 4, _("4 · Substantial")
    FULL = 5, _("5 · Full")


# Bands of likelihood x impact (1 to 25) that colour the heat map, from FEMA's and ISO 31000's usual four.
RISK_BANDS = [(4, "low", _("Low")), (9, "moderate", _("Moderate")), (16, "high", _("High")), (25, "extreme", _("Extreme"))]  # fmt: skip


def risk_band(score: int) -> tuple[str, str]:
    """Return the (css name, label) of the band of a heat-map cell's score (likelihood x impact, 1 to 25).

    The one rule for a hazard's label, its cell's colour and the legend: a hazard is banded by its cell
    (`HazardRisk.cell_score`), never by the unrounded product of its means, which falls between the bands.
    """
    for ceiling, name, label in RISK_BANDS:
        if score <= ceiling:
            return name, str(label)
    return RISK_BANDS[-1][1], str(RISK_BANDS[-1][2])


def risk_band_legend() -> list[tuple[str, str, int, int]]:
    """Return each band's (css name, label, lowest score, highest score), for the legend beside the map."""
    floors = [1] + [ceiling + 1 for ceiling, _name, _label in RISK_BANDS[:-1]]
    return [
        (name, str(label), floor, ceiling)
        for floor, (ceiling, name, label) in zip(floors, RISK_BANDS, strict=True)
    ]
