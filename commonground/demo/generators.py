"""Deterministic synthetic rows, shaped like a real community's, for seeding, tests and benchmarks.

The rows are the same text a user's CSV file would hold, so that seeding goes through the real
import path (validation and audit included).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Iterator

from django.utils import timezone

from commonground.core.tlp import TLP
from commonground.registry.choices import categories, ci_sectors

PLACES = [
    ("Riverbend", "MI", "48933", 42.7325, -84.5555),
    ("Maple Grove", "MI", "48823", 42.7370, -84.4839),
    ("Cedar Falls", "MI", "48864", 42.7075, -84.4069),
    ("Harbor Point", "MI", "48906", 42.7770, -84.5860),
    ("Oakridge", "MI", "48911", 42.6762, -84.5730),
]
# The synthetic and the demo communities center on the first place.
REGION = {
    "kind": "region",
    "state": PLACES[0][1],
    "center_latitude": PLACES[0][3],
    "center_longitude": PLACES[0][4],
}

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


def organization_rows(
    count: int, *, seed: int = 1, start: int = 0, spread: float = 0.05
) -> Iterator[dict[str, str]]:
    """Yield `count` organization rows (text cells), public and private, with unique names.

    Each is placed within `spread` degrees of one of the region's towns; a spread of 2 or more
    scatters them over a whole state, as a state-wide installation would hold them.
    """
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
            "latitude": f"{lat + rng.uniform(-spread, spread):.5f}",
            "longitude": f"{lon + rng.uniform(-spread, spread):.5f}",
            "website": "",
        }


def person_rows(
    organization_names: Iterable[str], per_organization: int, *, seed: int = 1
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


# What organizations of each category typically offer: (name, kind, category, capability type,
# capacity, capacity unit, quantity range, unit). Private categories add what public bodies lack.
RESOURCE_CATALOG = {
    "police": [("Patrol officers", "personnel", "esf13", "", "", "", (4, 30), "officers"),
               ("Mobile command post", "equipment", "esf2", "2", "", "", (1, 1), "each")],
    "fire": [("Structural engine", "equipment", "esf4", "1", "1500", "gpm", (1, 4), "each"),
             ("Hazardous materials team", "team", "esf10", "2", "", "", (1, 1), "team"),
             ("Water rescue boat", "equipment", "esf9", "3", "", "", (1, 2), "each")],
    "ems": [("Advanced life support ambulance", "equipment", "esf8", "1", "", "", (2, 8), "each")],
    "public_health": [("Mass vaccination kit", "supply", "esf8", "", "500", "doses/hour", (1, 3), "kits")],
    "emergency_management": [("Emergency operations centre", "facility", "esf5", "", "40", "seats", (1, 1), "each")],
    "homeland_security": [("Intelligence analyst", "personnel", "esf13", "", "", "", (1, 3), "people")],
    "public_works": [("Front loader", "equipment", "esf3", "2", "3", "cubic yards", (1, 6), "each"),
                     ("Trailer-mounted pump", "equipment", "esf3", "3", "1000", "gpm", (1, 3), "each")],
    "public_transportation": [("Transit bus", "equipment", "esf1", "", "40", "seats", (5, 40), "each")],
    "government_administration": [("Council chamber", "facility", "esf15", "", "120", "seats", (1, 1), "each")],
    "parks_recreation": [("Recreation centre shelter", "facility", "esf6", "", "150", "cots", (1, 1), "each")],
    "economic_development": [("Business recovery adviser", "personnel", "esf14", "", "", "", (1, 2), "people")],
    "education": [("School bus", "equipment", "esf1", "", "72", "seats", (4, 30), "each"),
                  ("Gymnasium shelter", "facility", "esf6", "", "300", "cots", (1, 2), "each")],
    "airport": [("Aircraft fuel truck", "equipment", "esf1", "", "5000", "gallons", (1, 3), "each")],
    "utility": [("Line crew", "team", "esf12", "2", "", "", (2, 10), "crews"),
                ("Mobile generator", "equipment", "esf12", "1", "1000", "kW", (1, 3), "each"),
                ("Cell on wheels", "equipment", "esf2", "", "", "", (1, 2), "each")],
    "hospital_health_care": [("Surge beds", "supply", "esf8", "", "", "", (10, 80), "beds"),
                             ("Refrigerated pharmacy storage", "facility", "esf8", "", "200", "cubic feet", (1, 1), "each")],
    "large_employer": [("Warehouse space", "facility", "esf7", "", "50000", "sq ft", (1, 2), "each"),
                       ("Standby generator", "equipment", "esf12", "", "500", "kW", (1, 4), "each"),
                       ("Box truck with driver", "equipment", "esf1", "", "26", "ft", (2, 12), "each"),
                       ("Forklift", "equipment", "esf7", "", "5000", "lb", (2, 10), "each"),
                       ("Business continuity team", "team", "esf14", "", "", "", (1, 1), "team")],
    "small_employer": [("Portable generator", "equipment", "esf12", "", "7", "kW", (1, 4), "each"),
                       ("Chainsaw kit", "equipment", "esf3", "", "", "", (1, 6), "each"),
                       ("Bottled water", "supply", "esf6", "", "", "", (50, 800), "cases"),
                       ("Commercial kitchen", "facility", "esf6", "", "500", "meals/day", (1, 1), "each")],
    "public_sector_contractor": [("Excavator with operator", "equipment", "esf3", "2", "1.5", "cubic yards", (1, 4), "each"),
                                 ("Security officers", "personnel", "esf13", "", "", "", (4, 40), "officers")],
    "chamber_business_group": [("Business liaison", "personnel", "esf14", "", "", "", (1, 3), "people"),
                               ("Volunteer call centre", "facility", "esf15", "", "20", "lines", (1, 1), "each")],
    "professional_association": [("Continuity planners", "personnel", "esf14", "", "", "", (2, 10), "people")],
    "railroad": [("Hi-rail truck", "equipment", "esf1", "", "", "", (1, 3), "each")],
    "red_cross_voluntary": [("Shelter cots", "supply", "esf6", "", "", "", (100, 600), "cots"),
                            ("Mass care team", "team", "esf6", "", "", "", (1, 2), "teams"),
                            ("Pet shelter kit", "supply", "esf11", "", "50", "animals", (1, 3), "kits")],
    "citizen_corps": [("CERT volunteers", "personnel", "esf6", "", "", "", (5, 40), "people"),
                      ("Search and rescue dog team", "team", "esf9", "3", "", "", (1, 2), "teams")],
}  # fmt: skip
AVAILABILITY_SPREAD = ["available"] * 8 + ["committed", "out_of_service"]
TERMS_SPREAD = ["loan", "loan", "donation", "paid", "mutual_aid"]
RESOURCE_MARKINGS = [TLP.GREEN] * 7 + [TLP.CLEAR, TLP.AMBER, TLP.AMBER_STRICT]


def resource_rows(
    organizations: Iterable[dict[str, str]],
    per_organization: int,
    *,
    seed: int = 1,
    today: datetime.date | None = None,
) -> Iterator[dict[str, str]]:
    """Yield resource rows for organization rows: what each kind of organization would offer, near it.

    `today` is the community's own day (its resources were verified before it, never after), the
    server's when not given.
    """
    rng = random.Random(seed)
    today = today or timezone.localdate()
    for organization in organizations:
        catalog = RESOURCE_CATALOG.get(organization["category"]) or RESOURCE_CATALOG["small_employer"]
        placed = organization.get("latitude") not in (None, "") and organization.get("longitude") not in (
            None,
            "",
        )
        lat, lon = (
            (float(organization["latitude"]), float(organization["longitude"])) if placed else (0.0, 0.0)
        )
        for n in range(per_organization):
            name, kind, category, ctype, capacity, unit_of_capacity, (low, high), unit = catalog[
                n % len(catalog)
            ]
            if n >= len(catalog):
                name = f"{name} {n // len(catalog) + 1}"
            yield {
                "organization": organization["name"],
                "name": name,
                "description": f"{name} held by {organization['name']}.",
                "kind": kind,
                "category": category,
                "capability_type": ctype,
                "capacity": capacity,
                "capacity_unit": unit_of_capacity,
                "quantity": str(rng.randint(low, high)),
                "unit": unit,
                "latitude": f"{lat + rng.uniform(-0.02, 0.02):.5f}" if placed else "",
                "longitude": f"{lon + rng.uniform(-0.02, 0.02):.5f}" if placed else "",
                "availability": rng.choice(AVAILABILITY_SPREAD),
                "deploy_hours": str(rng.choice([1, 2, 4, 8, 24, 48])),
                "terms": rng.choice(TERMS_SPREAD),
                "tlp": rng.choice(RESOURCE_MARKINGS),
                "verified_on": (today - datetime.timedelta(days=rng.randint(0, 400))).isoformat(),
            }
