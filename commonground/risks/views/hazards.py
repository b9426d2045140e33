from itertools import groupby

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin, PermissionRequiredMixin
from commonground.core.aggregates import MINIMUM_ORGANIZATIONS
from commonground.core.views import MarkedPageMixin, ServiceFormView, paginate

from .. import selectors, services
from ..filtersets import HazardFilterSet
from ..forms import HazardForm
from ..permissions import can_add_hazard, can_assess_any
from ..profile import kept_risk_profile
from ..tables import ASSESSMENT_ROW_FIELDS, assessment_rows


class HazardListView(CommunityMixin, TemplateView):
    """The hazards the community assesses: the catalogue and its own, grouped by kind."""

    template_name = "risks/hazard_list.html"
    step = 5

    def get_context_data(self, **kwargs):
        queryset = selectors.hazard_list(viewer=self.viewer, community=self.community)
        filterset = HazardFilterSet(self.request.GET, queryset=queryset)
        hazards = filterset.qs if filterset.is_valid() else queryset.none()
        groups = [(kind, list(items)) for kind, items in groupby(hazards, key=lambda h: h.get_kind_display())]
        return super().get_context_data(
            filterset=filterset, groups=groups, can_add=can_add_hazard(self.viewer, self.community), **kwargs
        )


class HazardCreateView(CommunityMixin, PermissionRequiredMixin, ServiceFormView):
    permission = staticmethod(can_add_hazard)
    denied = gettext_lazy("Only co-chairs add the community's own hazards.")
    template_name = "risks/hazard_form.html"
    form_class = HazardForm
    step = 5
    success_message = gettext_lazy("The hazard is on the community's list.")

    def service_call(self, form):
        return services.hazard_create(actor=self.request.user, community=self.community, **form.cleaned_data)

    def get_success_url(self):
        return reverse("risks:hazards", args=[self.community.slug])


class HazardDetailView(MarkedPageMixin, CommunityMixin, TemplateView):
    """One hazard: the community's joint figures, and the assessments behind them the reader may see."""

    template_name = "risks/hazard_detail.html"
    step = 5

    def get_context_data(self, **kwargs):
        hazard = selectors.visible_hazard(viewer=self.viewer, community=self.community, pk=self.kwargs["pk"])
        if hazard is None:
            raise Http404
        profile = kept_risk_profile(viewer=self.viewer, community=self.community, hazards=[hazard])
        # The page shows the joint figures too: they bring the profile's marking.
        self.marking_floor = profile.marking
        risk = next((r for r in profile.hazards if r.hazard.pk == hazard.pk), None)
        assessments = selectors.assessment_page_list(
            viewer=self.viewer, community=self.community, fields=ASSESSMENT_ROW_FIELDS, hazard=hazard
        )
        page_obj = paginate(self.request, assessments)
        return super().get_context_data(
            hazard=hazard,
            risk=risk,
            page_obj=page_obj,
            assessment_rows=assessment_rows(page_obj, show_hazard=False),
            issues=selectors.hazard_issues(viewer=self.viewer, community=self.community, hazard=hazard),
            minimum=MINIMUM_ORGANIZATIONS,
            can_assess=can_assess_any(self.viewer, self.community),
            **kwargs,
        )
