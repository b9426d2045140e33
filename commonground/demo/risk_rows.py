"""Synthetic step 5 data: the critical functions and hazard self-assessments a kind of organization would make.

Likelihoods and impacts start from what is typical for a Great Lakes region and vary by organization,
so the joint risk profile has the shape a real one has: winter storms and power failures shared by
nearly everyone, and a few hazards that weigh on one kind of organization only.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from django.utils import timezone

from commonground.core.tlp import TLP

# hazard code: (typical likelihood, typical worst impact)
BASELINE = {
    "winter_weather": (5, 3), "ice_storm": (4, 4), "tornado": (3, 4), "riverine_flooding": (3, 3),
    "strong_wind": (4, 3), "heat_wave": (3, 3), "power_failure": (4, 4), "cyber_incident": (4, 4),
    "pandemic": (2, 5), "communications_outage": (3, 3), "water_outage": (2, 4), "hazmat_release": (2, 4),
    "active_assailant": (2, 5), "supply_chain_disruption": (3, 3), "civil_disturbance": (2, 3),
    "transportation_accident": (3, 3), "dam_levee_failure": (1, 5),
}  # fmt: skip
SHARED = ["winter_weather", "power_failure", "tornado", "cyber_incident", "pandemic"]
BY_CATEGORY = {
    "police": ["civil_disturbance", "active_assailant"],
    "fire": ["hazmat_release", "transportation_accident"],
    "ems": ["transportation_accident", "communications_outage"],
    "public_health": ["water_outage", "heat_wave"],
    "public_works": ["riverine_flooding", "water_outage", "dam_levee_failure"],
    "hospital_health_care": ["water_outage", "active_assailant", "hazmat_release"],
    "utility": ["ice_storm", "strong_wind", "riverine_flooding"],
    "large_employer": ["supply_chain_disruption", "ice_storm"],
    "small_employer": ["supply_chain_disruption", "riverine_flooding"],
    "railroad": ["hazmat_release", "transportation_accident"],
    "airport": ["strong_wind", "communications_outage"],
    "education": ["active_assailant", "heat_wave"],
    "red_cross_voluntary": ["heat_wave", "riverine_flooding"],
}
FUNCTIONS = {
    "police": [("911 call answering and dispatch", True, 0.25), ("Patrol and traffic control", True, 2)],
    "fire": [("Fire suppression and rescue", True, 0.5), ("Station power and apparatus fuel", False, 12)],
    "ems": [("Ambulance response", True, 0.5)],
    "public_health": [("Disease surveillance and reporting", True, 24), ("Vaccine cold storage", True, 4)],
    "public_works": [("Drinking water treatment", True, 8), ("Snow and debris clearance", True, 12)],
    "hospital_health_care": [("Emergency department", True, 0), ("Pharmacy and medical gases", True, 4)],
    "utility": [("Electric distribution and restoration", True, 2), ("Control room (SCADA)", True, 1)],
    "large_employer": [("Distribution centre operations", True, 24), ("Payroll", False, 72)],
    "small_employer": [("Store operations", False, 48), ("Payroll", False, 72)],
    "chamber_business_group": [("Member communications", False, 24)],
    "red_cross_voluntary": [("Shelter operations", True, 12)],
    "education": [("Student safety and reunification", True, 1)],
    "railroad": [("Dispatching and signalling", True, 2)],
    "airport": [("Airfield operations", True, 2)],
}
DEFAULT_FUNCTIONS = [("Staff communications", False, 24)]
MARKINGS = [TLP.AMBER] * 7 + [TLP.GREEN, TLP.GREEN, TLP.AMBER_STRICT]


def _vary(rng: random.Random, value: int) -> int:
    return min(5, max(1, value + rng.choice([-1, 0, 0, 0, 1])))


def function_rows(category: str) -> list[tuple[str, bool, float]]:
    """Return (name, serves the community, maximum tolerable downtime in hours) for a kind of organization."""
    return FUNCTIONS.get(category, DEFAULT_FUNCTIONS)


def assessment_rows(
    category: str, *, rng: random.Random, today: datetime.date | None = None
) -> Iterator[dict]:
    """Yield the assessments an organization of this category would make (hazard code and its scores).

    `today` is the community's own day (an assessment is dated before it), the server's when not given.
    """
    today = today or timezone.localdate()
    for code in dict.fromkeys([*SHARED, *BY_CATEGORY.get(category, [])]):
        likelihood, impact = BASELINE[code]
        worst = _vary(rng, impact)
        yield {
            "hazard": code,
            "likelihood": _vary(rng, likelihood),
            "impact_life_safety": max(1, worst - rng.choice([0, 1, 2])),
            "impact_operations": worst,
            "impact_property": max(1, worst - rng.choice([0, 1])),
            "vulnerability": rng.randint(2, 4),
            "preparedness": rng.randint(2, 4),
            "assessed_on": today - datetime.timedelta(days=rng.randint(0, 200)),
            "tlp": rng.choice(MARKINGS),
        }
