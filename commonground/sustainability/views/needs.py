"""Pages of step 6: the needs assessments, their questionnaire, and the profile with the prioritized needs."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.aggregates import MINIMUM_ORGANIZATIONS
from commonground.core.views import ServiceFormView

from .. import selectors, services
from ..forms import AssessmentForm, ItemForm, NeedRankForm
from ..models import NeedsItem
from ..permissions import can_answer_any, can_run_assessment
from ..priorities import needs_profile
from ..tables import area_rows, ranked_needs_rows


class AssessmentListView(CommunityMixin, TemplateView):
    template_name = "sustainability/assessment_list.html"
    step = 6

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assessments=selectors.needs_assessment_list(viewer=self.viewer, community=self.community),
            can_run=can_run_assessment(self.viewer, self.community),
            **kwargs,
        )


class AssessmentCreateView(CommunityMixin, ServiceFormView):
    template_name = "sustainability/assessment_form.html"
    form_class = AssessmentForm
    step = 6

    def dispatch(self, request, *args, **kwargs):
        if not can_run_assessment(self.viewer, self.community):
            raise PermissionDenied(_("Only co-chairs open a needs assessment."))
        return super().dispatch(request, *args, **kwargs)

    def service_call(self, form):
        return services.needs_assessment_open(
            actor=self.request.user, community=self.community, **form.cleaned_data
        )

    def get_success_message(self, record) -> str:
        return _("The needs assessment is open; word its items as the community needs.")

    def get_success_url(self):
        return reverse("sustainability:items", args=[self.object.pk])


class AssessmentMixin(CommunityMixin):
    step = 6

    @cached_property
    def assessment(self):
        found = selectors.visible_assessment(viewer=self.viewer, pk=self.kwargs["pk"])
        if found is None:
            raise Http404
        return found

    @cached_property
    def community(self):
        return self.assessment.community

    def get_context_data(self, **kwargs):
        return super().get_context_data(assessment=self.assessment, **kwargs)


class AssessmentDetailView(AssessmentMixin, TemplateView):
    """The profile of the areas for improvement, per mission area and item, split by sector; the prioritized needs."""

    template_name = "sustainability/assessment_detail.html"

    def get_context_data(self, **kwargs):
        profile = needs_profile(viewer=self.viewer, assessment=self.assessment)
        areas = profile.by_area()
        can_run = can_run_assessment(self.viewer, self.community)
        chart = {
            "labels": [a.label for a in areas],
            "level": [a.level for a in areas],
            "importance": [a.importance for a in areas],
        }
        context = super().get_context_data(
            profile=profile, areas=areas, chart=chart, minimum=MINIMUM_ORGANIZATIONS,
            can_answer=self.assessment.is_open and can_answer_any(self.viewer, self.community),
            can_run=can_run,
            ranked_rows=ranked_needs_rows(profile.ranked, can_run=can_run),
            area_tables=[(area, area_rows(area)) for area in areas],
            **kwargs,
        )  # fmt: skip
        context["tlp_marking"] = profile.marking
        return context


class ItemsView(AssessmentMixin, ServiceFormView):
    """The assessment's questions, which co-chairs add to, reword and drop."""

    template_name = "sustainability/items.html"
    form_class = ItemForm

    def dispatch(self, request, *args, **kwargs):
        if not can_run_assessment(self.viewer, self.community):
            raise PermissionDenied(_("Only co-chairs word the items."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(items=self.assessment.items.all(), **kwargs)

    def service_call(self, form):
        return services.item_add(actor=self.request.user, assessment=self.assessment, **form.cleaned_data)

    def get_success_message(self, record) -> str:
        return _("The item is added.")

    def get_success_url(self):
        return reverse("sustainability:items", args=[self.assessment.pk])


class ItemMixin(CommunityMixin):
    step = 6

    @cached_property
    def item(self) -> NeedsItem:
        return get_object_or_404(NeedsItem.objects.visible_to(self.viewer), pk=self.kwargs["pk"])

    @cached_property
    def community(self):
        return self.item.assessment.community

    def dispatch(self, request, *args, **kwargs):
        if not can_run_assessment(self.viewer, self.community):
            raise PermissionDenied(_("Only co-chairs word the items."))
        return super().dispatch(request, *args, **kwargs)


class ItemEditView(ItemMixin, ServiceFormView):
    template_name = "sustainability/item_form.html"
    form_class = ItemForm
    success_message = gettext_lazy("Saved.")

    def get_instance(self):
        return self.item

    def service_call(self, form):
        return services.item_update(actor=self.request.user, item=self.item, data=form.cleaned_data)

    def get_success_url(self):
        return reverse("sustainability:items", args=[self.item.assessment_id])


class ItemDeleteView(ItemMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assessment_id = self.item.assessment_id
        services.item_delete(actor=request.user, item=self.item)
        messages.success(request, _("The item was dropped, with its answers."))
        return redirect("sustainability:items", assessment_id)


class NeedRankView(ItemMixin, ServiceFormView):
    """Place a need on the prioritized list, and say why (co-chairs)."""

    template_name = "sustainability/need_rank_form.html"
    form_class = NeedRankForm

    def get_initial(self):
        return {"rank": self.item.agreed_rank, "reason": self.item.rank_reason}

    def service_call(self, form):
        services.need_rank_set(actor=self.request.user, item=self.item, **form.cleaned_data)
        return self.item

    def get_success_message(self, record) -> str:
        return _("The prioritized list is reordered.")

    def get_success_url(self):
        return reverse("sustainability:assessment_detail", args=[self.item.assessment_id])
