from functools import cached_property

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from commonground.communities.models import Community
from commonground.communities.selectors import community_by_slug

COMMUNITY_PARAMETER = OpenApiParameter(
    "community", OpenApiTypes.STR, description="Slug of a community: only what is at its table."
)


class CommunityParameterMixin:
    """Lists narrowed by `?community=SLUG` through the selector, which knows the cheapest safe query.

    A list whose selector reads nothing of the community but its key says `community_by_key`: its community is
    found among the viewer's own, whose slugs the viewer's query read (`Viewer.community_key`), with no query of
    its own; the instance holds its key and slug (any other field is read when asked for). A viewer who may open
    other communities than their own (a facilitator) has it read by `community_by_slug`, as every other list.
    """

    community_by_key = False

    @cached_property
    def community_parameter(self) -> tuple[bool, Community | None]:
        slug = self.request.query_params.get("community")
        if not slug:
            return False, None
        viewer = self.viewer
        if self.community_by_key and viewer.knows_its_communities:
            key = viewer.community_key(slug)
            if key is None:
                return True, None
            return True, Community.from_db(Community.objects.db, ["id", "slug"], [key, slug])
        return True, community_by_slug(viewer, slug)

    def narrowed(self, select):
        """Call `select(viewer=..., community=...)`; an unknown or hidden community gives an empty list."""
        given, community = self.community_parameter
        if given and community is None:
            return select(viewer=self.viewer).none()
        return select(viewer=self.viewer, community=community)

    def list_queryset(self, selector):
        return self.narrowed(selector)
