"""Pages where organizations list their critical functions and assess the hazards that concern them."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.views import MarkedPageMixin, ServiceFormView, paginate, querystring_without_page
from commonground.registry.filtersets import choose_organization
from commonground.registry.models import Organization
from commonground.registry.selectors import organizations_acted_for

from .. import selectors, services, tables
from ..filtersets import AssessmentFilterSet, CriticalFunctionFilterSet, choose_hazard
from ..forms import AssessmentForm, CriticalFunctionForm
from ..models import CriticalFunction, HazardAssessment
from ..permissions import can_assess_any, can_edit_assessment
from ..tables import assessment_rows


class MarkedListMixin(MarkedPageMixin, CommunityMixin):
    """A filtered, paginated list of marked records; the banner shows the narrowest marking on the page."""

    filterset_class = None
    step = 5

    def records(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        queryset = self.records()
        filterset = self.filterset_class(self.request.GET, queryset=queryset)
        choose_organization(filterset, viewer=self.viewer, community=self.community)
        if "hazard" in filterset.form.fields:
            choose_hazard(filterset, viewer=self.viewer, community=self.community)
        page_obj = paginate(self.request, filterset.qs if filterset.is_valid() else queryset.none())
        return super().get_context_data(
            filterset=filterset,
            page_obj=page_obj,
            querystring=querystring_without_page(self.request),
            can_assess=can_assess_any(self.viewer, self.community),
            editable={r.pk for r in page_obj if can_edit_assessment(self.viewer, r)},
            **kwargs,
        )


class AssessmentListView(MarkedListMixin, TemplateView):
    """The self-assessments the reader may see, one by one."""

    template_name = "risks/assessment_list.html"
    filterset_class = AssessmentFilterSet

    def records(self):
        return selectors.assessment_page_list(
            viewer=self.viewer, community=self.community, fields=tables.ASSESSMENT_ROW_FIELDS
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessment_rows"] = assessment_rows(context["page_obj"], show_hazard=True)
        return context


class FunctionListView(MarkedListMixin, TemplateView):
    template_name = "risks/function_list.html"
    filterset_class = CriticalFunctionFilterSet

    def records(self):
        return selectors.function_list(viewer=self.viewer, community=self.community)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["function_rows"] = tables.function_rows(context["page_obj"], context["editable"])
        return context


class RecordFormMixin(CommunityMixin):
    """Create or change a critical function or an assessment, for an organization the viewer may act for."""

    step = 5
    record = None  # the record being changed; None on the create pages
    success_message = gettext_lazy("Saved.")

    def dispatch(self, request, *args, **kwargs):
        allowed = (
            can_edit_assessment(self.viewer, self.record)
            if self.record is not None
            else can_assess_any(self.viewer, self.community)
        )
        if not allowed:
            raise PermissionDenied(_("Only the organization's admin, a co-chair or a facilitator does this."))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def organizations(self):
        if self.record is not None:
            return Organization.objects.filter(pk=self.record.organization_id)
        return organizations_acted_for(viewer=self.viewer, community=self.community)

    def kept_choices(self):
        """The form's choices are the reader's at the community, and on an edit page its record's organization."""
        return (self.viewer, self.community.pk, None if self.record is None else self.record.organization_id)

    def choices(self, queryset):
        """The records a select or list of checkboxes offers: on a page drawing the form, only each one's id and
        name (its `__str__`, the option's label); a posted form's choices are whole records, for the service."""
        if self.request.method == "GET":
            return queryset.select_related(None).only("pk", "name")
        return queryset

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            organizations=self.choices(self.organizations),
            peers=self.choices(Organization.objects.in_community(self.community)),
        )
        kwargs.setdefault("initial", {})
        if self.record is None and (
            self.viewer.organization_id and self.organizations.filter(pk=self.viewer.organization_id).exists()
        ):
            kwargs["initial"]["organization"] = self.viewer.organization_id
        return kwargs

    def get_instance(self):
        return self.record

    def save(self, data):
        raise NotImplementedError

    def service_call(self, form):
        return self.save(
            {k: v for k, v in form.cleaned_data.items() if self.record is None or k != "organization"}
        )

    def get_success_url(self):
        return self.success_url_for(self.object)


class FunctionCreateView(RecordFormMixin, ServiceFormView):
    template_name = "risks/function_form.html"
    form_class = CriticalFunctionForm

    def save(self, data):
        organization = data.pop("organization")
        return services.function_create(
            actor=self.request.user, community=self.community, organization=organization, **data
        )

    def success_url_for(self, record):
        return (
            reverse("risks:functions", args=[self.community.slug]) + f"?organization={record.organization_id}"
        )


class FunctionRecordMixin:
    @cached_property
    def record(self) -> CriticalFunction:
        return get_object_or_404(selectors.function_list(viewer=self.viewer), pk=self.kwargs["pk"])

    @property
    def community(self):
        return self.record.community


class FunctionEditView(FunctionRecordMixin, FunctionCreateView):
    def save(self, data):
        return services.function_update(actor=self.request.user, function=self.record, data=data)


class FunctionDeleteView(FunctionRecordMixin, RecordFormMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.function_delete(actor=request.user, function=self.record)
        messages.success(request, _("The critical function was removed."))
        return redirect(reverse("risks:functions", args=[self.community.slug]))


class AssessmentCreateView(RecordFormMixin, ServiceFormView):
    """Assess a hazard for an organization (?hazard= and ?organization= preselect them)."""

    template_name = "risks/assessment_form.html"
    form_class = AssessmentForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            hazards=self.choices(selectors.hazard_list(viewer=self.viewer, community=self.community)),
            functions=self.choices(
                selectors.function_list(viewer=self.viewer, community=self.community).filter(
                    organization__in=self.organizations
                )
            ),
        )
        if self.record is None:
            for name in ("hazard", "organization"):
                if self.request.GET.get(name, "").isdigit():
                    kwargs["initial"][name] = int(self.request.GET[name])
        return kwargs

    def save(self, data):
        organization = data.pop("organization")
        hazard = data.pop("hazard")
        return services.hazard_assessment_create(
            actor=self.request.user,
            community=self.community,
            organization=organization,
            hazard=hazard,
            **data,
        )

    def success_url_for(self, record):
        return reverse("risks:hazard_detail", args=[self.community.slug, record.hazard_id])


class AssessmentRecordMixin:
    @cached_property
    def record(self) -> HazardAssessment:
        return get_object_or_404(selectors.hazard_assessment_list(viewer=self.viewer), pk=self.kwargs["pk"])

    @property
    def community(self):
        return self.record.community


class AssessmentEditView(AssessmentRecordMixin, AssessmentCreateView):
    def save(self, data):
        data.pop("hazard", None)
        return services.hazard_assessment_update(actor=self.request.user, assessment=self.record, data=data)


class AssessmentDetailView(AssessmentRecordMixin, CommunityMixin, TemplateView):
    template_name = "risks/assessment_detail.html"
    step = 5

    def get_context_data(self, **kwargs):
        functions = selectors.function_list(viewer=self.viewer).filter(assessments=self.record)
        context = super().get_context_data(
            assessment=self.record,
            functions=functions,
            can_edit=can_edit_assessment(self.viewer, self.record),
            **kwargs,
        )
        context["tlp_marking"] = self.record.tlp
        return context


class AssessmentDeleteView(AssessmentRecordMixin, RecordFormMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.hazard_assessment_delete(actor=request.user, assessment=self.record)
        messages.success(request, _("The assessment was removed."))
        return redirect(reverse("risks:assessments", args=[self.community.slug]))
