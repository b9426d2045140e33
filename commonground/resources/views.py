from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.viewer import ViewerMixin
from commonground.core.views import MarkedPageMixin, ServiceFormView, paginate, querystring_without_page
from commonground.registry.models import Organization, Person
from commonground.registry.selectors import organizations_acted_for

from . import selectors, services
from .filtersets import AgreementFilterSet, ResourceFilterSet
from .forms import AgreementForm, ResourceForm
from .models import Agreement, Resource
from .permissions import can_edit_agreement, can_edit_resource, can_record_resources


def map_markers(resources) -> list[dict]:
    """Return what the map shows of a page of resources: the ones with coordinates."""
    return [
        {
            "name": r.name,
            "lat": r.latitude,
            "lon": r.longitude,
            "url": r.get_absolute_url(),
            "detail": f"{r.get_kind_display()} · {r.organization.name}"
            + (f" · {r.distance_km} km" if getattr(r, "distance_km", None) is not None else ""),
        }
        for r in resources
        if r.latitude is not None and r.longitude is not None
    ]


def map_settings() -> dict:
    return {"tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


class ResourceListView(MarkedPageMixin, CommunityMixin, TemplateView):
    """Search the community's resources by text, kind, category, capability, availability, sector and distance."""

    template_name = "resources/resource_list.html"
    step = 4

    def get_context_data(self, **kwargs):
        queryset = selectors.resource_list(viewer=self.viewer, community=self.community)
        filterset = ResourceFilterSet(self.request.GET, queryset=queryset)
        if filterset.is_valid():
            near = filterset.circle
            results = filterset.qs
        else:
            near, results = None, queryset.none()
        page_obj = paginate(self.request, results)
        return super().get_context_data(
            filterset=filterset,
            near=near,
            page_obj=page_obj,
            querystring=querystring_without_page(self.request),
            markers=map_markers(page_obj),
            map=map_settings(),
            totals=selectors.resource_totals(viewer=self.viewer, community=self.community),
            can_add=can_record_resources(self.viewer, self.community),
            **kwargs,
        )


class RecordingMixin:
    """What a resource or agreement form offers: the organizations the viewer may record for."""

    @cached_property
    def recordable_organizations(self):
        return organizations_acted_for(viewer=self.viewer, community=self.community)

    def peers(self):
        return Organization.objects.in_community(self.community)


class ResourceCreateView(CommunityMixin, RecordingMixin, ServiceFormView):
    template_name = "resources/resource_form.html"
    form_class = ResourceForm
    step = 4

    def dispatch(self, request, *args, **kwargs):
        if not can_record_resources(self.viewer, self.community):
            raise PermissionDenied(_("Only organization admins and co-chairs record resources."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            organizations=self.recordable_organizations,
            people=Person.objects.filter(organization__in=self.recordable_organizations),
            peers=self.peers(),
        )
        kwargs.setdefault("initial", {})
        if self.viewer.organization_id:
            kwargs["initial"]["organization"] = self.viewer.organization_id
        return kwargs

    def service_call(self, form):
        data = dict(form.cleaned_data)
        organization = data.pop("organization")
        return services.resource_create(
            actor=self.request.user, community=self.community, organization=organization, **data
        )

    def get_success_message(self, record) -> str:
        return _("%(name)s is in the resource database.") % {"name": record}


class ResourceMixin(ViewerMixin):
    @cached_property
    def resource(self) -> Resource:
        return get_object_or_404(
            selectors.resource_list(viewer=self.viewer).prefetch_related(
                "recipient_organizations", "recipient_people", "agreements"
            ),
            pk=self.kwargs["pk"],
        )

    @property
    def community(self):
        return self.resource.community

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            resource=self.resource,
            community=self.resource.community,
            step=4,
            tlp_marking=self.resource.tlp,
            viewer=self.viewer,
            can_edit=can_edit_resource(self.viewer, self.resource),
        )
        return context


class ResourceDetailView(ResourceMixin, TemplateView):
    template_name = "resources/resource_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(markers=map_markers([self.resource]), map=map_settings())
        return context


class ResourceEditView(ResourceMixin, RecordingMixin, ServiceFormView):
    template_name = "resources/resource_form.html"
    form_class = ResourceForm
    success_message = gettext_lazy("Saved.")

    def dispatch(self, request, *args, **kwargs):
        if not can_edit_resource(self.viewer, self.resource):
            raise PermissionDenied(_("Only the organization's admin or a co-chair changes its resources."))
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        return self.resource

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        organization = self.resource.organization
        kwargs.update(
            organizations=Organization.objects.filter(pk=organization.pk),
            people=Person.objects.filter(organization=organization),
            peers=self.peers(),
        )
        return kwargs

    def service_call(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "organization"}
        return services.resource_update(actor=self.request.user, resource=self.resource, data=data)


class ResourceVerifyView(ResourceMixin, TemplateView):
    """Confirm that a resource's record is still true today."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.resource_verify(actor=request.user, resource=self.resource)
        messages.success(request, _("Marked as verified today."))
        return redirect(self.resource.get_absolute_url())


class ResourceDeleteView(ResourceMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        community = self.resource.community
        services.resource_delete(actor=request.user, resource=self.resource)
        messages.success(request, _("The resource was removed."))
        return redirect(reverse("resources:resources", args=[community.slug]))


class ContributionView(CommunityMixin, TemplateView):
    """What the partnership adds: categories only the private side holds, and gaps nobody fills."""

    template_name = "resources/contribution.html"
    step = 4

    def get_context_data(self, **kwargs):
        contribution = selectors.partnership_contribution(viewer=self.viewer, community=self.community)
        self.tlp_marking = contribution.marking
        chart = {
            "labels": [c.label for c in contribution.categories],
            "public": [c.public for c in contribution.categories],
            "private": [c.private for c in contribution.categories],
        }
        return super().get_context_data(contribution=contribution, chart=chart, **kwargs)


class AgreementListView(MarkedPageMixin, CommunityMixin, TemplateView):
    template_name = "resources/agreement_list.html"
    step = 4

    def get_context_data(self, **kwargs):
        queryset = selectors.agreement_list(viewer=self.viewer, community=self.community)
        filterset = AgreementFilterSet(self.request.GET, queryset=queryset)
        page_obj = paginate(self.request, filterset.qs if filterset.is_valid() else queryset.none())
        return super().get_context_data(
            filterset=filterset,
            page_obj=page_obj,
            querystring=querystring_without_page(self.request),
            can_add=can_record_resources(self.viewer, self.community),
            **kwargs,
        )


class AgreementCreateView(CommunityMixin, RecordingMixin, ServiceFormView):
    template_name = "resources/agreement_form.html"
    form_class = AgreementForm
    step = 4
    success_message = gettext_lazy("The agreement is recorded.")

    def dispatch(self, request, *args, **kwargs):
        if not can_record_resources(self.viewer, self.community):
            raise PermissionDenied(_("Only organization admins and co-chairs record agreements."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            organizations=self.recordable_organizations,
            peers=self.peers(),
            resources=selectors.resource_list(viewer=self.viewer, community=self.community),
        )
        kwargs.setdefault("initial", {})
        if self.viewer.organization_id:
            kwargs["initial"]["organization"] = self.viewer.organization_id
        return kwargs

    def service_call(self, form):
        data = dict(form.cleaned_data)
        organization = data.pop("organization")
        return services.agreement_create(
            actor=self.request.user, community=self.community, organization=organization, **data
        )

    def get_success_url(self):
        return reverse("resources:agreement_detail", args=[self.object.pk])


class AgreementMixin(ViewerMixin):
    @cached_property
    def agreement(self) -> Agreement:
        return get_object_or_404(selectors.agreement_list(viewer=self.viewer), pk=self.kwargs["pk"])


class AgreementDetailView(AgreementMixin, TemplateView):
    template_name = "resources/agreement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = selectors.resource_list(viewer=self.viewer).filter(agreements=self.agreement)
        context.update(
            agreement=self.agreement,
            community=self.agreement.community,
            resources=visible,
            step=4,
            tlp_marking=self.agreement.tlp,
            can_edit=can_edit_agreement(self.viewer, self.agreement),
        )
        return context


class AgreementEditView(AgreementMixin, RecordingMixin, ServiceFormView):
    template_name = "resources/agreement_form.html"
    form_class = AgreementForm
    success_message = gettext_lazy("Saved.")

    @property
    def community(self):
        return self.agreement.community

    def dispatch(self, request, *args, **kwargs):
        if not can_edit_agreement(self.viewer, self.agreement):
            raise PermissionDenied(_("Only a party's admin or a co-chair changes agreements."))
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        return self.agreement

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            organizations=Organization.objects.filter(pk=self.agreement.organization_id),
            peers=self.peers(),
            resources=selectors.resource_list(viewer=self.viewer, community=self.community),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, community=self.community, step=4, **kwargs)

    def service_call(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "organization"}
        return services.agreement_update(actor=self.request.user, agreement=self.agreement, data=data)

    def get_success_url(self):
        return reverse("resources:agreement_detail", args=[self.object.pk])


class AgreementDocumentView(AgreementMixin, TemplateView):
    """Download an agreement's document; only those who may see the agreement."""

    def get(self, request, *args, **kwargs):
        document = self.agreement.document
        if not document:
            raise Http404
        return FileResponse(
            document.open("rb"), as_attachment=True, filename=document.name.rsplit("/", 1)[-1]
        )


class AgreementDeleteView(AgreementMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        community = self.agreement.community
        services.agreement_delete(actor=request.user, agreement=self.agreement)
        messages.success(request, _("The agreement was removed."))
        return redirect(reverse("resources:agreements", args=[community.slug]))


class GeoJSONExportView(CommunityMixin, TemplateView):
    """Download the placed resources the reader may see as GeoJSON, marked with their narrowest TLP."""

    def get(self, request, *args, **kwargs):
        from django.http import StreamingHttpResponse

        from .exports import geojson_export

        chunks, marking = geojson_export(viewer=self.viewer, community=self.community)
        response = StreamingHttpResponse(chunks, content_type="application/geo+json")
        tag = marking.replace(":", "-").replace("+", "-")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.community.slug}-resources-{tag}.geojson"'
        )
        response["X-TLP"] = marking
        return response
