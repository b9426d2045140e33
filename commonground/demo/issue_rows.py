"""Synthetic step 3 data: specific common issues of the kind partnerships take up, and who would endorse them.

An organization is likelier to endorse an issue about a hazard its own kind assesses (`risk_rows`), so
shared hazards (winter storms, power failures) draw endorsements from both sides of the table and a
niche one stays with a few organizations, as at a real table.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from .risk_rows import BY_CATEGORY, SHARED

ISSUES = [
    {
        "title": "Generator fuel when the interstate closes",
        "hazards": ["winter_weather", "power_failure"],
        "mission_area": "response",
        "description": "In a multi-day winter storm the interstate closes and fuel deliveries stop, while the "
        "hospital, the water plant, dispatch and grocery distribution all run generators that last about "
        "two days.",
        "outcome": "A shared fuel priority list and supplier agreements so that life-safety generators never run dry.",
    },
    {
        "title": "Cooling and power for vulnerable residents in a heat wave",
        "hazards": ["heat_wave", "power_failure"],
        "mission_area": "planning",
        "description": "During a heat wave with rolling outages, residents on home oxygen and the elderly in "
        "apartments without air conditioning need cooling; cooling centres close when their power fails.",
        "outcome": "Cooling centres with backup power, transport to them, and a list of who needs a check.",
    },
    {
        "title": "Ransomware at a vendor many of us share",
        "hazards": ["cyber_incident"],
        "mission_area": "mitigation",
        "description": "Several agencies and businesses use the same payroll and scheduling vendor; a ransomware "
        "attack on it would stop payroll and shift scheduling for thousands of workers at once.",
        "outcome": "A joint exercise with the vendor and manual fallbacks for payroll and scheduling in every member.",
    },
    {
        "title": "Reunifying students and staff after a lockdown",
        "hazards": ["active_assailant"],
        "mission_area": "response",
        "description": "After a school or workplace lockdown, parents and families converge on the site; police, "
        "schools and employers have no shared reunification site or sign-out procedure.",
        "outcome": "Pre-agreed reunification sites with owners' consent and a common sign-out procedure.",
    },
    {
        "title": "Reopening businesses after a flood",
        "hazards": ["riverine_flooding"],
        "mission_area": "recovery",
        "description": "After the river floods downtown, businesses wait weeks for building, electrical and health "
        "inspections before they may reopen, and many small ones never do.",
        "outcome": "A fast-track inspection and permit process agreed with the city and the county before the next flood.",
    },
    {
        "title": "Diesel supply in a long ice storm",
        "hazards": ["ice_storm"],
        "mission_area": "response",
        "description": "An ice storm that keeps power out for a week would drain the diesel of every generator in "
        "the region; fuel distributors cannot reach all of them on iced roads.",
        "outcome": "Delivery routes and priorities for diesel agreed with the distributors and public works.",
    },
    {
        "title": "Staff parking during the summer festival",
        "hazards": [],
        "situation": "The summer festival closes downtown streets for a week",
        "mission_area": "planning",
        "description": "When the summer festival closes downtown streets, employees of downtown businesses cannot "
        "find parking and arrive late for their shifts during the whole week.",
        "outcome": "A shuttle from the fairgrounds lot for downtown employees during the festival week.",
    },
]
# What became of each (by title) in the demo: adopted, set aside with a reason, merged into another.
DEMO_FATE = {
    "Generator fuel when the interstate closes": ("adopt", ""),
    "Cooling and power for vulnerable residents in a heat wave": ("adopt", ""),
    "Ransomware at a vendor many of us share": ("adopt", ""),
    "Staff parking during the summer festival": (
        "set_aside", "A matter for the downtown business association, not emergency preparedness."
    ),
    "Diesel supply in a long ice storm": ("merge", "Generator fuel when the interstate closes"),
}  # fmt: skip


def concerns(category: str, hazards: list[str]) -> bool:
    """Whether an organization of this category assesses any of the hazards (and so is likely to endorse)."""
    relevant = {*SHARED, *BY_CATEGORY.get(category, [])}
    return any(code in relevant for code in hazards)


def endorsement_rows(issue: dict, organizations, *, rng: random.Random) -> Iterator[dict]:
    """Yield the endorsements organizations would make of an issue: organization, severity, comment."""
    for organization in organizations:
        likely = concerns(organization.category, issue["hazards"])
        if rng.random() < (0.45 if likely else 0.06):
            yield {
                "organization": organization,
                "severity": min(5, max(1, (4 if likely else 2) + rng.choice([-1, 0, 0, 1]))),
                "comment": rng.choice(
                    ["", "", "This affects our operations directly.", "We saw this in 2021."]
                ),
            }
