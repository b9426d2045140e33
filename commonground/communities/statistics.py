"""Program statistics for the public landing page: counts only, never a restricted record."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from .models import CoChair, Community, Membership


def program_statistics() -> dict:
    """Return how many communities, organizations and participants the program has, by sector."""
    # Counted through the seats, so an organization at two tables counts once and one at none not at all.
    by_sector = Membership.objects.aggregate(
        public=Count("organization", filter=Q(organization__sector="public"), distinct=True),
        private=Count("organization", filter=Q(organization__sector="private"), distinct=True),
        nonprofit=Count("organization", filter=Q(organization__sector="nonprofit"), distinct=True),
    )
    co_shared = (
        CoChair.objects.values("community")
        .annotate(
            public=Count("id", filter=Q(person__organization__sector="public")),
            private=Count("id", filter=~Q(person__organization__sector="public")),
        )
        .filter(public__gt=0, private__gt=0)
        .count()
    )
    return {
        "communities": Community.objects.count(),
        "organizations": sum(by_sector.values()),
        "participants": get_user_model().objects.filter(person__isnull=False, is_active=True).count(),
        "co_shared": co_shared,
        **by_sector,
    }
