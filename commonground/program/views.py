"""The program's pages: the statistics everyone sees, and the facilitators' table of every community."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from commonground.communities.progress import STEP_TITLES
from commonground.core.tlp import TLP
from commonground.core.viewer import ViewerMixin
from commonground.core.views import paginate

from . import charts, networks, permissions, progress, selectors, stamp
from .tasks import refresh_progress


class FacilitatorRequiredMixin:
    permission = staticmethod(permissions.can_see_progress_table)
    denied = gettext_lazy("Only facilitators see every community's progress.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)  # the login middleware sends them to log in
        if not self.permission(self.viewer):
            raise PermissionDenied(self.denied)
        return super().dispatch(request, *args, **kwargs)


def sort_headers(request, sort: str, columns: list[tuple[str, str]]) -> list[dict]:
    """Return each column's header: its label, the link that sorts by it (the other way when it is the sort
    already) and its `aria-sort`."""
    current = sort.lstrip("-")
    descending = sort.startswith("-")
    headers = []
    for key, label in columns:
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("cursor", None)
        params["sort"] = f"-{key}" if key == current and not descending else key
        aria = ("descending" if descending else "ascending") if key == current else ""
        headers.append({"key": key, "label": label, "url": f"?{params.urlencode()}", "aria_sort": aria})
    return headers


def progress_columns() -> list[tuple[str, str]]:
    return [
        ("name", _("Community")),
        ("state", _("State")),
        ("organizations", _("Organizations")),
        ("steps_done", _("Steps done")),
        *[(f"step{number}", _("Step %(number)s") % {"number": number}) for number in STEP_TITLES],
    ]


def progress_table(request, viewer, plan=None) -> dict:
    """The progress table's context; `plan`: the organizations' figures as settled for the page."""
    sort = request.GET.get("sort", "name")
    if not isinstance(sort, str) or sort.lstrip("-") not in progress.SORTS:
        sort = "name"
    plan = plan or selectors.settled_organizations(viewer=viewer)
    page_obj = paginate(
        request,
        progress.progress_list(viewer=viewer, sort=sort, plan=plan),
        known_count=progress.listed(plan),
    )
    return {
        "page_obj": page_obj,
        "progress": progress.progress_rows(page_obj, viewer=viewer, plan=plan),
        "headers": sort_headers(request, sort, progress_columns()),
        "step_titles": list(STEP_TITLES.items()),
        "querystring": _without_page(request),
    }


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
    return params.urlencode()


@method_decorator(login_not_required, name="dispatch")
class StatisticsView(ViewerMixin, TemplateView):
    """The program-wide page: communities on a map and by state, growth by sector, progress, incidents and
    networks; visitors see figures that rest on at least three organizations (TLP:CLEAR)."""

    template_name = "program/statistics.html"

    def get_context_data(self, **kwargs):
        viewer = self.viewer
        full = permissions.sees_full_figures(viewer)
        shared = stamp.Shared()  # the program's token, taken once before anything is read
        figures = selectors.statistics(viewer=viewer, shared=shared)
        growth, incidents = figures["growth"], figures["incidents"]
        by_step = progress.progress_by_step(viewer=viewer, shared=shared)
        return super().get_context_data(
            full=full,
            tlp_marking=TLP.GREEN if full else TLP.CLEAR,
            figures=figures["figures"],
            places=charts.map_points(selectors.community_places(viewer=viewer, shared=shared), full=full),
            states=figures["states"],
            growth=growth,
            growth_chart=charts.growth_chart(growth, full=full),
            by_step=by_step,
            steps_chart=charts.steps_chart(by_step),
            incidents=incidents,
            incidents_chart=charts.incidents_chart(incidents),
            network=networks.network_measures(viewer=viewer, shared=shared),
            can_see_table=permissions.can_see_progress_table(viewer),
            **progress_table(self.request, viewer, figures["plan"]),
            **kwargs,
        )


class CommunitiesView(ViewerMixin, FacilitatorRequiredMixin, TemplateView):
    """The facilitators' table: every community's progress through the six steps, sortable, with a map."""

    template_name = "program/communities.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            full=True,
            tlp_marking=TLP.GREEN,
            places=charts.map_points(selectors.community_places(viewer=self.viewer), full=True),
            can_refresh=permissions.can_refresh_progress(self.viewer),
            **progress_table(self.request, self.viewer),
            **kwargs,
        )


class RefreshView(ViewerMixin, FacilitatorRequiredMixin, View):
    """Ask the worker to compute every community's step states again now; the page never computes them."""

    permission = staticmethod(permissions.can_refresh_progress)
    denied = gettext_lazy("Only facilitators ask for the progress to be computed again.")

    def post(self, request, *args, **kwargs):
        transaction.on_commit(lambda: refresh_progress.enqueue(None))
        messages.success(request, _("Every community's progress will be computed again in a moment."))
        return redirect("program:communities")
