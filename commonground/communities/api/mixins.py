from functools import cached_property

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from commonground.communities.models import Community
from commonground.core.kept_rows import kept_rows
from commonground.core.visibility import Viewer

COMMUNITY_PARAMETER = OpenApiParameter(
    "community", OpenApiTypes.STR, description="Slug of a community: only what is at its table."
)


def community_by_slug(viewer: Viewer, slug: str) -> Community | None:
    """Return the community of the slug if the viewer may see it, by SQL compiled once for what it is made of
    (the viewer, whose facts `visible_to` reads, and the slug)."""
    return next(
        iter(
            kept_rows(
                ("community by slug", viewer, slug),
                lambda: Community.objects.visible_to(viewer).with_slug(slug).order_by("pk")[:1],
                Community.objects.db,
            )
        ),
        None,
    )


class CommunityParameterMixin:
    """Lists narrowed by `?community=SLUG` through the selector, which knows the cheapest safe query."""

    @cached_property
    def community_parameter(self) -> tuple[bool, Community | None]:
        slug = self.request.query_params.get("community")
        if not slug:
            return False, None
        return True, community_by_slug(self.viewer, slug)

    def narrowed(self, select):
        """Call `select(viewer=..., community=...)`; an unknown or hidden community gives an empty list."""
        given, community = self.community_parameter
        if given and community is None:
            return select(viewer=self.viewer).none()
        return select(viewer=self.viewer, community=community)

    def list_queryset(self, selector):
        return self.narrowed(selector)
