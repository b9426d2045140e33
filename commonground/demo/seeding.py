"""Create synthetic communities at any size through the real import path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from commonground.communities import services as community_services
from commonground.communities.models import Community
from commonground.registry.imports import OrganizationImporter, PersonImporter

from . import generators


@dataclass
class SeedResult:
    community: Community
    organizations: int
    people: int
    resources: int = 0


def seed_community(
    *,
    slug: str,
    name: str,
    organizations: int,
    people_per_organization: int = 2,
    resources_per_organization: int = 0,
    spread: float = 0.05,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> SeedResult:
    """Create (or fill) a community with synthetic organizations and people; the same seed gives the same data."""
    with transaction.atomic():
        community = Community.objects.filter(slug=slug).first() or community_services.community_create(
            actor=None,
            name=name,
            slug=slug,
            kind="region",
            state="MI",
            center_latitude=42.7325,
            center_longitude=-84.5555,
            description="Synthetic community made by `commonground seed`.",
        )
        rows = list(generators.organization_rows(organizations, seed=seed, spread=spread))
        report = OrganizationImporter(actor=None, community=community).run_rows(
            generators.numbered(rows), progress=progress
        )
        if not report.ok:
            raise RuntimeError(f"seeding organizations failed: {report.errors[:3]}")
        people = 0
        if people_per_organization:
            names = [row["name"] for row in rows]
            people_report = PersonImporter(actor=None, community=community).run_rows(
                generators.numbered(generators.person_rows(names, people_per_organization, seed=seed))
            )
            if not people_report.ok:
                raise RuntimeError(f"seeding people failed: {people_report.errors[:3]}")
            people = people_report.created + people_report.updated
        resources = 0
        if resources_per_organization:
            from commonground.resources.imports import ResourceImporter

            resource_report = ResourceImporter(actor=None, community=community).run_rows(
                generators.numbered(generators.resource_rows(rows, resources_per_organization, seed=seed))
            )
            if not resource_report.ok:
                raise RuntimeError(f"seeding resources failed: {resource_report.errors[:3]}")
            resources = resource_report.created + resource_report.updated
    return SeedResult(community, report.created + report.updated, people, resources)
