"""Pages of step 6: the needs assessments, their questionnaire, and the profile with the prioritized needs."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.aggregates import MINIMUM_ORGANIZATIONS
from commonground.core.views import add_service_errors
from commonground.registry.selectors import organizations_acted_for

from .. import selectors, services
from ..forms import AnswerSheetForm, AssessmentForm, ItemForm, NeedRankForm
from ..models import NeedsAnswer, NeedsItem
from ..permissions import can_answer_any, can_run_assessment
from ..priorities import needs_profile


class AssessmentListView(CommunityMixin, TemplateView):
    template_name = "sustainability/assessment_list.html"
    step = 6

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assessments=selectors.needs_assessment_list(viewer=self.viewer, community=self.community),
            can_run=can_run_assessment(self.viewer, self.community),
            **kwargs,
        )


class AssessmentCreateView(CommunityMixin, FormView):
    template_name = "sustainability/assessment_form.html"
    form_class = AssessmentForm
    step = 6

    def dispatch(self, request, *args, **kwargs):
        if not can_run_assessment(self.viewer, self.community):
            raise PermissionDenied(_("Only co-chairs open a needs assessment."))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            assessment = services.needs_assessment_open(
                actor=self.request.user, community=self.community, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The needs assessment is open; word its items as the community needs.")
        )
        return redirect("sustainability:items", assessment.pk)


class AssessmentMixin(CommunityMixin):
    step = 6

    @cached_property
    def assessment(self):
        return get_object_or_404(selectors.needs_assessment_list(viewer=self.viewer), pk=self.kwargs["pk"])

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
        chart = {
            "labels": [a.label for a in areas],
            "level": [a.level for a in areas],
            "importance": [a.importance for a in areas],
        }
        context = super().get_context_data(
            profile=profile, areas=areas, chart=chart, minimum=MINIMUM_ORGANIZATIONS,
            can_answer=self.assessment.is_open and can_answer_any(self.viewer, self.community),
            can_run=can_run_assessment(self.viewer, self.community),
            **kwargs,
        )  # fmt: skip
        context["tlp_marking"] = profile.marking
        return context


class AnswerView(AssessmentMixin, FormView):
    """The questionnaire, answered for one organization at a time (all its answers saved together)."""

    template_name = "sustainability/answer_form.html"
    form_class = AnswerSheetForm

    def dispatch(self, request, *args, **kwargs):
        if not can_answer_any(self.viewer, self.community):
            raise PermissionDenied(_("Only organization admins and co-chairs answer."))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def organizations(self):
        return organizations_acted_for(viewer=self.viewer, community=self.community)

    def organization_id(self):
        wanted = self.request.GET.get("organization") or self.viewer.organization_id
        return int(wanted) if str(wanted).isdigit() else None

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "items": self.assessment.items.all(),
            "organizations": self.organizations,
        }

    def get_initial(self):
        initial = {"organization": self.organization_id()}
        answers = NeedsAnswer.objects.visible_to(self.viewer).filter(
            item__assessment=self.assessment, organization_id=self.organization_id()
        )
        for answer in answers:
            for name in ("level", "importance", "poete", "comment"):
                initial[f"item_{answer.item_id}_{name}"] = getattr(answer, name)
            initial["tlp"] = answer.tlp
        return initial

    def form_valid(self, form):
        try:
            services.needs_answers_save(
                actor=self.request.user, assessment=self.assessment, organization=form.cleaned_data["organization"],
                answers=form.answers(), tlp=form.cleaned_data["tlp"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your organization's answers are saved; you may change them until it closes.")
        )
        return redirect(self.assessment.get_absolute_url())


class ItemsView(AssessmentMixin, FormView):
    """The assessment's questions, which co-chairs add to, reword and drop."""

    template_name = "sustainability/items.html"
    form_class = ItemForm

    def dispatch(self, request, *args, **kwargs):
        if not can_run_assessment(self.viewer, self.community):
            raise PermissionDenied(_("Only co-chairs word the items."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(items=self.assessment.items.all(), **kwargs)

    def form_valid(self, form):
        try:
            services.item_add(actor=self.request.user, assessment=self.assessment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The item is added."))
        return redirect("sustainability:items", self.assessment.pk)


class ItemMixin(CommunityMixin):
    step = 6

    @cached_property
    def item(self) -> NeedsItem:
        assessments = selectors.needs_assessment_list(viewer=self.viewer)
        return get_object_or_404(NeedsItem.objects.filter(assessment__in=assessments), pk=self.kwargs["pk"])

    @cached_property
    def community(self):
        return self.item.assessment.community

    def dispatch(self, request, *args, **kwargs):
        if not can_run_assessment(self.viewer, self.community):
            raise PermissionDenied(_("Only co-chairs word the items."))
        return super().dispatch(request, *args, **kwargs)


class ItemEditView(ItemMixin, FormView):
    template_name = "sustainability/item_form.html"
    form_class = ItemForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": NeedsItem.objects.get(pk=self.item.pk)}

    def form_valid(self, form):
        services.item_update(
            actor=self.request.user, item=NeedsItem.objects.get(pk=self.item.pk), data=form.cleaned_data
        )
        messages.success(self.request, _("Saved."))
        return redirect("sustainability:items", self.item.assessment_id)


class ItemDeleteView(ItemMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assessment_id = self.item.assessment_id
        services.item_delete(actor=request.user, item=NeedsItem.objects.get(pk=self.item.pk))
        messages.success(request, _("The item was dropped, with its answers."))
        return redirect("sustainability:items", assessment_id)


class NeedRankView(ItemMixin, FormView):
    """Place a need on the prioritized list, and say why (co-chairs)."""

    template_name = "sustainability/need_rank_form.html"
    form_class = NeedRankForm

    def get_initial(self):
        return {"rank": self.item.agreed_rank, "reason": self.item.rank_reason}

    def form_valid(self, form):
        try:
            services.need_rank_set(
                actor=self.request.user, item=NeedsItem.objects.get(pk=self.item.pk), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The prioritized list is reordered."))
        return redirect("sustainability:assessment_detail", self.item.assessment_id)
