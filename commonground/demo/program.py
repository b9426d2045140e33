"""The program around the demo community: sister partnerships in other states, each at its own stage, their
tables grown month by month, so that the program's statistics have a map, a history and a spread of progress."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from commonground.communities import services as community_services
from commonground.communities.models import Membership
from commonground.core import audit
from commonground.program.services import progress_refresh_all
from commonground.registry.imports import OrganizationImporter, PersonImporter
from commonground.registry.models import Person

from . import generators

# slug, name, kind, state, city, latitude, longitude, time zone, organizations, months since the start
SISTERS = [
    ("gulf-bend", "Gulf Bend Coastal Partnership", "region", "TX", "Corpus Christi", 27.80, -97.40, "America/Chicago", 18, 20),
    ("cascade-valley", "Cascade Valley County", "county", "OR", "Eugene", 44.05, -123.09, "America/Los_Angeles", 11, 14),
    ("piedmont-triad", "Piedmont Triad Region", "region", "NC", "Greensboro", 36.07, -79.79, "America/New_York", 7, 8),
    ("high-plains", "High Plains City", "city", "KS", "Dodge City", 37.75, -100.02, "America/Chicago", 2, 3),
]  # fmt: skip


def load_program(facilitator, *, seed: int = 11) -> list:
    """Start the sister partnerships through the services, seat their tables and people through the imports,
    date each seat over the months since its start, and compute every community's progress (the worker's
    daily work, done here at once)."""
    rng = random.Random(seed)
    now = timezone.now()
    made, start = [], 1000
    for slug, name, kind, state, city, lat, lon, zone, count, months in SISTERS:
        community = community_services.community_create(
            actor=facilitator, name=name, slug=slug, kind=kind, state=state, center_latitude=lat,
            center_longitude=lon, time_zone=zone, description=f"A sister partnership of the program, in {city}.",
        )  # fmt: skip
        rows = []
        for row in generators.organization_rows(count, seed=seed + start, start=start):
            row.update(
                city=city, state=state, zip_code="",
                latitude=f"{lat + rng.uniform(-0.1, 0.1):.5f}", longitude=f"{lon + rng.uniform(-0.1, 0.1):.5f}",
            )  # fmt: skip
            rows.append(row)
        start += count
        report = OrganizationImporter(actor=facilitator, community=community).run_rows(
            generators.numbered(rows)
        )
        if not report.ok:
            raise RuntimeError(f"the program's demo organizations: {report.errors[:3]}")
        people = []
        for person in generators.person_rows([row["name"] for row in rows], 2, seed=seed + start):
            person["email"] = f"{slug}.{person['email']}"
            people.append(person)
        PersonImporter(actor=facilitator, community=community).run_rows(generators.numbered(people))
        # The table grew from its start: each seat, and its people, dated on a day since then.
        for membership in Membership.objects.filter(community=community).order_by("pk"):
            when = now - datetime.timedelta(days=rng.uniform(0, months * 30.4))
            Membership.objects.filter(pk=membership.pk).update(created=when)
            Person.objects.filter(organization_id=membership.organization_id).update(
                created=min(now, when + datetime.timedelta(days=rng.uniform(0, 20)))
            )
        made.append(community)
    audit.touched_everything()  # seats dated back without entries
    progress_refresh_all()
    return made
