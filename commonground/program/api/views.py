from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from commonground.core.viewer import ViewerMixin
from commonground.program import networks, permissions, progress, selectors, stamp
from commonground.registry.choices import Sector

from .serializers import CommunityProgressSerializer, StatisticsSerializer

SECTORS = [value for value, _label in Sector.choices]


class StatisticsView(ViewerMixin, GenericAPIView):
    """The program-wide statistics: communities and where they are, organizations and participants by sector
    month by month, progress through the six steps, incidents managed and network measures across communities.

    Anyone may read them. A caller who is not a facilitator gets only figures that count TLP:CLEAR records and
    rest on none or at least three organizations; any other figure comes suppressed (`value` null,
    `suppressed` true). In `growth`, every month is listed; the rows that end a calendar quarter
    (`quarter_end`) are settled first, so such a caller gets them with the fewest suppressed, and the months
    between where they give nothing away. Computed in the database, in a fixed number of queries."""

    permission_classes = [AllowAny]
    serializer_class = StatisticsSerializer
    pagination_class = None
    filter_backends = []

    def get(self, request):
        viewer = self.viewer
        shared = stamp.Shared()  # the program's token, taken once before anything is read
        figures = selectors.statistics(viewer=viewer, shared=shared)
        data = {
            "full": permissions.sees_full_figures(viewer),
            "figures": [{**figure, "label": str(figure["label"])} for figure in figures["figures"]],
            "communities": selectors.community_places(viewer=viewer, shared=shared),
            "states": figures["states"],
            "growth": [
                {
                    "month": row["month"],
                    "quarter_end": row["quarter_end"],
                    "organizations": dict(zip(SECTORS, row["organizations"], strict=True)),
                    "organizations_total": row["organizations_total"],
                    "participants": dict(zip(SECTORS, row["participants"], strict=True)),
                    "participants_total": row["participants_total"],
                }
                for row in figures["growth"]["rows"]
            ],
            "steps": [
                {**row, "title": str(row["title"])}
                for row in progress.progress_by_step(viewer=viewer, shared=shared)
            ],
            "incidents": [{"status": row["status"], "cell": row["cell"]} for row in figures["incidents"]],
            "network": networks.network_measures(viewer=viewer, shared=shared),
        }
        return Response(StatisticsSerializer(data).data)


class ProgressView(ViewerMixin, ListAPIView):
    """Every community's progress through the six steps, as last computed by the worker, sorted by `sort` (any
    column; a leading "-" reverses it). Anyone may read it; the organizations at a table come suppressed when
    one or two and the caller is not a facilitator, and the steps' summaries are for facilitators only."""

    permission_classes = [AllowAny]
    serializer_class = CommunityProgressSerializer
    filter_backends = []

    def get_queryset(self):
        sort = self.request.query_params.get("sort", "name")
        return progress.progress_list(viewer=self.viewer, sort=sort, plan=self.plan)

    def known_count(self, queryset) -> int:
        return progress.listed(self.plan)

    @property
    def plan(self):
        """The organizations' figures, settled once a request as the statistics settle them."""
        if not hasattr(self, "_plan"):
            self._plan = selectors.settled_organizations(viewer=self.viewer)
        return self._plan

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "sort",
                OpenApiTypes.STR,
                enum=[*progress.SORTS, *[f"-{key}" for key in progress.SORTS]],
                description="The column to sort by; a leading '-' sorts from the top.",
            )  # fmt: skip
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = progress.progress_rows(page, viewer=self.viewer, plan=self.plan)
        return self.get_paginated_response(CommunityProgressSerializer(rows, many=True).data)
