from functools import cached_property

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from commonground.communities.models import Community
from commonground.communities.selectors import community_by_slug

COMMUNITY_PARAMETER = OpenApiParameter(
    "community", OpenApiTypes.STR, description="Slug of a community: only what is at its table."
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
