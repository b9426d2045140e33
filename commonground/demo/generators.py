"""Deterministic synthetic rows, shaped like a real community's, for seeding, tests and benchmarks.

The rows are the same text a user's CSV file would hold, so that seeding goes through the real
import path (validation and audit included).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from commonground.core.tlp import TLP
from commonground.registry.choices import categories, ci_sectors

PLACES = [
    ("Riverbend", "MI", "48933", 42.7325, -84.5555),
    ("Maple Grove", "MI", "48823", 42.7370, -84.4839),
    ("Cedar Falls", "MI", "48864", 42.7075, -84.4069),
    ("Harbor Point", "MI", "48906", 42.7770, -84.5860),
    ("Oakridge", "MI", "48911", 42.6762, -84.5730),
]

PUBLIC_NAMES = {
    "police": "{place} Police Department",
    "fire": "{place} Fire Department",
    "ems": "{place} Emergency Medical Services",
    "public_health": "{place} Health Department",
    "emergency_management": "{place} Office of Emergency Management",
    "homeland_security": "{place} Homeland Security Division",
    "public_works": "{place} Department of Public Works",
    "public_transportation": "{place} Area Transit Authority",
    "government_administration": "{place} City Manager's Office",
    "parks_recreation": "{place} Parks and Recreation",
    "economic_development": "{place} Economic Development Corporation",
    "education": "{place} Public Schools",
    "airport": "{place} Regional Airport Authority",
    "utility": "{place} Board of Water and Light",
    "hospital_health_care": "{place} County Medical Center",
}
BUSINESS_WORDS = [
    "Great Lakes", "Capital", "Northern", "Heritage", "Summit", "Lakeshore", "Pioneer", "Keystone", "Meridian",
    "Red Cedar", "Grand River", "Evergreen", "Ironwood", "Harvest", "Beacon", "Frontier", "Riverside", "Granite",
]  # fmt: skip
BUSINESS_KINDS = {
    "large_employer": ["Manufacturing", "Logistics", "Insurance Group", "Foods", "Automotive Assembly"],
    "small_employer": ["Hardware", "Bakery", "Print Shop", "Auto Repair", "Dental Care", "Pharmacy"],
    "public_sector_contractor": ["Engineering", "Construction", "Security Services", "Waste Services"],
    "chamber_business_group": ["Chamber of Commerce", "Business Alliance", "Downtown Association"],
    "professional_association": [
        "Chapter of ASIS International",
        "Business Continuity Forum",
        "Risk Managers Association",
    ],
    "hospital_health_care": ["Health System", "Urgent Care", "Senior Living"],
    "railroad": ["Rail Services", "Short Line Railroad"],
    "utility": ["Energy", "Telecom", "Gas Company"],
    "red_cross_voluntary": ["Red Cross Chapter", "Salvation Army Corps", "Food Bank"],
    "citizen_corps": ["Citizen Corps Council", "CERT Team", "Medical Reserve Corps"],
    "education": ["Community College", "Christian Academy", "University"],
    "airport": ["Aviation Services"],
    "public_transportation": ["Coach Lines"],
}
NONPROFIT = {"chamber_business_group", "professional_association", "red_cross_voluntary", "citizen_corps"}
FIRST_NAMES = [
    "Maria", "James", "Aisha", "Robert", "Wei", "Linda", "Carlos", "Patricia", "Michael", "Fatima", "David",
    "Jennifer", "Hiroshi", "Susan", "Andre", "Karen", "Luis", "Nancy", "Tomasz", "Grace", "Omar", "Emily",
]  # fmt: skip
LAST_NAMES = [
    "Garcia", "Johnson", "Nguyen", "Smith", "Okafor", "Brown", "Kowalski", "Martinez", "Lee", "Davis",
    "Haddad", "Wilson", "Tanaka", "Anderson", "Lopez", "Thomas", "Moore", "Jackson", "White", "Harris",
]  # fmt: skip
TITLES = [
    "Director", "Emergency Manager", "Business Continuity Manager", "Security Director", "Chief",
    "Deputy Chief", "Planner", "Facilities Manager", "Safety Officer", "Operations Manager",
]  # fmt: skip
SECTOR_OF_CI = {
    "police": "emergency_services", "fire": "emergency_services", "ems": "emergency_services",
    "public_health": "healthcare_public_health", "hospital_health_care": "healthcare_public_health",
    "utility": "energy", "railroad": "transportation_systems", "airport": "transportation_systems",
    "public_transportation": "transportation_systems", "public_works": "water_wastewater",
    "large_employer": "critical_manufacturing", "education": "government_facilities",
}  # fmt: skip
LEVELS = ["local"] * 8 + ["state", "federal", "tribal"]


def _employees(rng: random.Random, category: str) -> int:
    if category == "large_employer":
        return rng.randint(1000, 12000)
    if category == "small_employer":
        return rng.choice([rng.randint(1, 9), rng.randint(10, 49), rng.randint(50, 249)])
    return rng.randint(5, 900)


def organization_rows(count: int, *, seed: int = 1, start: int = 0) -> Iterator[dict[str, str]]:
    """Yield `count` organization rows (text cells), public and private, with unique names."""
    rng = random.Random(seed)
    business_categories = list(BUSINESS_KINDS)
    recommended_public = [
        c["code"] for c in categories() if c["side"] in ("public", "both") and c["recommended"]
    ]
    for index in range(start, start + count):
        place, state, zip_code, lat, lon = PLACES[index % len(PLACES)]
        public = rng.random() < 0.35
        if public:
            category = rng.choice(recommended_public)
            name = PUBLIC_NAMES.get(category, "{place} " + category.replace("_", " ").title()).format(
                place=place
            )
            sector, level = "public", rng.choice(LEVELS)
        else:
            category = rng.choice(business_categories)
            name = f"{rng.choice(BUSINESS_WORDS)} {rng.choice(BUSINESS_KINDS[category])}"
            sector, level = ("nonprofit" if category in NONPROFIT else "private"), ""
        yield {
            "name": f"{name} ({index + 1})",
            "sector": sector,
            "category": category,
            "level": level,
            "ci_sector": SECTOR_OF_CI.get(category, rng.choice([s["code"] for s in ci_sectors()])),
            "employees": str(_employees(rng, category)),
            "address": f"{rng.randint(100, 9999)} {rng.choice(['Main', 'Michigan', 'Grand River', 'Cedar', 'Washington'])} St",
            "city": place,
            "state": state,
            "zip_code": zip_code,
            "latitude": f"{lat + rng.uniform(-0.05, 0.05):.5f}",
            "longitude": f"{lon + rng.uniform(-0.05, 0.05):.5f}",
            "website": "",
        }


def person_rows(
    organization_names: list[str], per_organization: int, *, seed: int = 1
) -> Iterator[dict[str, str]]:
    """Yield people rows for the named organizations, with unique e-mails and a spread of markings."""
    rng = random.Random(seed)
    markings = [TLP.GREEN] * 6 + [TLP.CLEAR, TLP.AMBER, TLP.AMBER_STRICT, TLP.RED]
    for org_index, organization in enumerate(organization_names):
        for n in range(per_organization):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            yield {
                "organization": organization,
                "first_name": first,
                "last_name": last,
                "title": rng.choice(TITLES),
                "email": f"{first}.{last}.{org_index}.{n}@example.org".lower(),
                "phone": f"517-555-{rng.randint(0, 9999):04d}",
                "mobile": "",
                "role": "admin" if n == 0 else "member",
                "contact_tlp": rng.choice(markings),
            }


def numbered(rows) -> Iterator[tuple[int, dict[str, str]]]:
    """Number rows as a file would: row 1 is the header, data from row 2."""
    return ((number, row) for number, row in enumerate(rows, start=2))
