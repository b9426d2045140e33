from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from commonground.agenda.selectors import issue_list
from commonground.communities.mixins import CommunityMixin, ManagerRequiredMixin
from commonground.core.aggregates import MINIMUM_ORGANIZATIONS
from commonground.core.tlp import narrowest
from commonground.core.views import add_service_errors, paginate

from .. import selectors, services
from ..filtersets import HazardFilterSet
from ..forms import HazardForm
from ..permissions import can_add_hazard, can_assess_any
from ..profile import risk_profile


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


class HazardCreateView(CommunityMixin, ManagerRequiredMixin, FormView):
    template_name = "risks/hazard_form.html"
    form_class = HazardForm
    step = 5

    def form_valid(self, form):
        try:
            services.hazard_create(actor=self.request.user, community=self.community, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The hazard is on the community's list."))
        return redirect(reverse("risks:hazards", args=[self.community.slug]))


class HazardDetailView(CommunityMixin, TemplateView):
    """One hazard: the community's joint figures, and the assessments behind them the reader may see."""

    template_name = "risks/hazard_detail.html"
    step = 5

    def get_context_data(self, **kwargs):
        hazard = get_object_or_404(
            selectors.hazard_list(viewer=self.viewer, community=self.community), pk=self.kwargs["pk"]
        )
        profile = risk_profile(viewer=self.viewer, community=self.community, hazard_ids=[hazard.pk])
        risk = next((r for r in profile.hazards if r.hazard.pk == hazard.pk), None)
        assessments = (
            selectors.hazard_assessment_list(viewer=self.viewer, community=self.community)
            .filter(hazard=hazard)
            .order_by("organization__name", "pk")
        )
        page_obj = paginate(self.request, assessments)
        context = super().get_context_data(
            hazard=hazard,
            risk=risk,
            page_obj=page_obj,
            issues=issue_list(viewer=self.viewer, community=self.community).filter(hazards=hazard),
            minimum=MINIMUM_ORGANIZATIONS,
            can_assess=can_assess_any(self.viewer, self.community),
            **kwargs,
        )
        context["tlp_marking"] = narrowest([profile.marking, *(a.tlp for a in page_obj)])
        return context
