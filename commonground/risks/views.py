from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from commonground.communities.mixins import CommunityMixin, ManagerRequiredMixin
from commonground.core.views import add_service_errors

from . import selectors, services
from .filtersets import HazardFilterSet
from .forms import HazardForm
from .permissions import can_add_hazard


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
