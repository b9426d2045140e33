"""The partnership's network page: its latest measures, their trend, the organizations and ties in tables."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect
from django.template.context_processors import csrf
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from commonground.communities.mixins import CommunityMixin, PermissionRequiredMixin
from commonground.registry.choices import Sector
from commonground.registry.models import Organization
from commonground.registry.selectors import organization_list

from . import presentation, tables
from .choices import LEVEL_OF, PartnerLevel
from .introductions import introduction_send
from .permissions import can_introduce, can_measure_network, can_see_network
from .selectors import latest_snapshot, organization_names, snapshot_trend
from .tasks import snapshot_network

# How many months the trend shows.
TREND_MONTHS = 24
# Rows a page of the organization and tie tables; names listed in a measure's cell (the rest counted).
ROWS_PER_PAGE = 100
NAMES_LISTED = 30


class NetworkView(CommunityMixin, PermissionRequiredMixin, TemplateView):
    """The network read from the record, measured by the worker; everyone at the table sees it."""

    template_name = "socialcapital/network.html"
    permission = staticmethod(can_see_network)
    denied = gettext_lazy("Only the members of this table see its network.")

    def get_context_data(self, **kwargs):
        latest = latest_snapshot(viewer=self.viewer, community=self.community)
        trend = snapshot_trend(viewer=self.viewer, community=self.community, months=TREND_MONTHS)
        # The names as the registry shows them to this viewer now: an organization gone from the table drops out.
        sectors = dict(Sector.choices)
        names = {
            organization.pk: (organization.name, sectors.get(organization.sector, organization.sector))
            for organization in organization_names(viewer=self.viewer, community=self.community)
        }
        measures = latest.measures if latest else {}
        rows = presentation.organization_rows(measures, names)
        # A large table's organizations and ties in pages (?page=, ?ties=): 10,000 rows do not fit one.
        organizations_page = Paginator(rows, ROWS_PER_PAGE).get_page(self.request.GET.get("page"))
        visible_ties = [
            tie for tie in measures.get("tie_rows", []) if tie["a"] in names and tie["b"] in names
        ]
        ties_page = Paginator(visible_ties, ROWS_PER_PAGE).get_page(self.request.GET.get("ties"))
        isolated = [row for row in rows if row.isolated]
        peripheral = [row for row in rows if row.peripheral]
        ties = presentation.tie_rows({"tie_rows": ties_page.object_list}, names)
        suggestions = presentation.suggestion_rows(measures, names)
        may_introduce = can_introduce(self.viewer, self.community)
        introduce_url = reverse("socialcapital:network_introduce", args=[self.community.slug])
        return super().get_context_data(
            latest=latest,
            measures=measures,
            rows=organizations_page.object_list,
            page_obj=organizations_page,
            querystring=self.querystring("page"),
            ties_page=ties_page,
            ties_querystring=self.querystring("ties"),
            brokers=[row for row in rows if row.broker],
            isolated=isolated[:NAMES_LISTED],
            isolated_more=max(0, len(isolated) - NAMES_LISTED),
            peripheral=peripheral[:NAMES_LISTED],
            peripheral_more=max(0, len(peripheral) - NAMES_LISTED),
            ties=ties,
            tie_rows=tables.tie_rows_html(ties),
            suggestions=suggestions,
            suggestion_rows=tables.suggestion_rows_html(
                suggestions,
                introduce_url=introduce_url if may_introduce else None,
                csrf_token=lambda: csrf(self.request)["csrf_token"],
            ),
            organization_rows=tables.organization_rows_html(organizations_page.object_list),
            graph=presentation.graph_data(measures, names, rows),
            graph_max=presentation.GRAPH_MAX_NODES,
            levels=[
                (PartnerLevel(int(level)).label, count)
                for level, count in measures.get("strength", {}).get("levels", {}).items()
            ],
            tie_types=presentation.type_labels(measures.get("tie_types", [])),
            all_tie_types=[
                (kind.label, presentation.level_label(int(level))) for kind, level in LEVEL_OF.items()
            ],
            trend=trend,
            trend_rows=tables.trend_rows_html(trend),
            density_points=presentation.trend_points([month["density"] for month in trend]),
            bridging_points=presentation.trend_points([month["bridging_share"] for month in trend]),
            chart_width=presentation.CHART_WIDTH,
            chart_height=presentation.CHART_HEIGHT,
            can_measure=can_measure_network(self.viewer, self.community),
            can_introduce=may_introduce,
            **kwargs,
        )

    def querystring(self, without: str) -> str:
        """The page's query without one table's page number (the other table's stays)."""
        params = self.request.GET.copy()
        params.pop(without, None)
        return params.urlencode()


class NetworkMeasureView(CommunityMixin, PermissionRequiredMixin, View):
    """Ask the worker to measure the network now (this month's snapshot); the page never computes it."""

    permission = staticmethod(can_measure_network)
    denied = gettext_lazy("Only co-chairs and facilitators ask for a new measurement.")

    def post(self, request, *args, **kwargs):
        community_id = self.community.pk
        transaction.on_commit(lambda: snapshot_network.enqueue(community_id))
        messages.success(
            request, _("The network will be measured again in a moment; reload the page to see it.")
        )
        return redirect("socialcapital:network", slug=self.community.slug)


class NetworkIntroduceView(CommunityMixin, PermissionRequiredMixin, View):
    """A co-chair's one click: introduce two organizations of a suggestion to each other by mail."""

    permission = staticmethod(can_introduce)
    denied = gettext_lazy("Only co-chairs and facilitators introduce members.")

    def post(self, request, *args, **kwargs):
        seated = organization_list(viewer=self.viewer, community=self.community)
        try:
            first = seated.get(pk=int(request.POST.get("first", "")))
            second = seated.get(pk=int(request.POST.get("second", "")))
        except (ValueError, Organization.DoesNotExist):
            messages.error(request, _("Choose two different organizations at this table."))
            return redirect("socialcapital:network", slug=self.community.slug)
        latest = latest_snapshot(viewer=self.viewer, community=self.community)
        names = {first.pk: (first.name, ""), second.pk: (second.name, "")}
        reasons = [
            row["reason"]
            for row in presentation.suggestion_rows(latest.measures if latest else {}, names)
            if {row["a_id"], row["b_id"]} == {first.pk, second.pk}
        ]
        try:
            introduction_send(
                actor=request.user, community=self.community, first=first, second=second,
                reason=reasons[0] if reasons else "",
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(first)s and %(second)s have been introduced by e-mail.")
                % {"first": first.name, "second": second.name},
            )
        return redirect("socialcapital:network", slug=self.community.slug)
