"""The pages of the resource database (step 4): search and map, a resource's record, what the partnership adds."""

from functools import cached_property

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.communities.permissions import can_import
from commonground.core.tlp import mark_response
from commonground.core.views import MarkedPageMixin, paginate, querystring_without_page
from commonground.registry.filtersets import choose_organization
from commonground.registry.models import Person

from .. import selectors, services
from ..filtersets import ResourceFilterSet
from ..forms import ResourceForm
from ..models import Resource
from ..permissions import can_edit_resource, can_record_resources
from ..tables import map_markers, resource_rows, rows_html
from .records import RecordCreateView, RecordDeleteView, RecordEditView, RecordMixin


class ResourceListView(MarkedPageMixin, CommunityMixin, TemplateView):
    """Search the community's resources by text, kind, category, capability, availability, sector and distance."""

    template_name = "resources/resource_list.html"
    step = 4

    def get_context_data(self, **kwargs):
        queryset = selectors.resource_list(viewer=self.viewer, community=self.community)
        filterset = ResourceFilterSet(self.request.GET, queryset=queryset)
        choose_organization(filterset, viewer=self.viewer, community=self.community)
        if filterset.is_valid():
            near = filterset.circle
            results = filterset.qs
        else:
            near, results = None, queryset.none()
        page_obj = paginate(self.request, selectors.resource_pages(results, recipients=False))
        rows = resource_rows(page_obj)
        return super().get_context_data(
            filterset=filterset,
            near=near,
            page_obj=page_obj,
            querystring=querystring_without_page(self.request),
            rows=rows,
            rows_html=rows_html(rows, near=near is not None),
            markers=map_markers(rows),
            totals=selectors.resource_totals(viewer=self.viewer, community=self.community),
            can_add=can_record_resources(self.viewer, self.community),
            can_import=can_import(self.viewer, self.community),
            **kwargs,
        )


class ResourceCreateView(RecordCreateView):
    template_name = "resources/resource_form.html"
    form_class = ResourceForm
    create_service = services.resource_create
    denied = gettext_lazy("Only organization admins and co-chairs record resources.")

    def form_choices(self) -> dict:
        return {"people": Person.objects.filter(organization__in=self.recordable_organizations)}

    def get_success_message(self, record) -> str:
        return _("%(name)s is in the resource database.") % {"name": record}


class ResourceMixin(RecordMixin):
    record_argument = "resource"
    prefetched = ("recipient_organizations", "recipient_people", "agreements")

    @cached_property
    def resource(self) -> Resource:
        return get_object_or_404(
            selectors.resource_list(viewer=self.viewer).prefetch_related(*self.prefetched),
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
        context.update(markers=map_markers(resource_rows([self.resource])))
        return context


class ResourceEditView(ResourceMixin, RecordEditView):
    template_name = "resources/resource_form.html"
    form_class = ResourceForm
    update_service = services.resource_update
    denied = gettext_lazy("Only the organization's admin or a co-chair changes its resources.")

    @cached_property
    def resource(self) -> Resource:
        """The resource with who it is marked for, by SQL kept for the viewer (`selectors.visible_resource`): the
        form shows no agreement."""
        resource = selectors.visible_resource(viewer=self.viewer, pk=self.kwargs["pk"])
        if resource is None:
            raise Http404
        return resource

    def may_edit(self) -> bool:
        return can_edit_resource(self.viewer, self.resource)

    def form_choices(self) -> dict:
        return {"people": Person.objects.filter(organization_id=self.resource.organization_id)}


class ResourceVerifyView(ResourceMixin, TemplateView):
    """Confirm that a resource's record is still true today."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.resource_verify(actor=request.user, resource=self.resource)
        messages.success(request, _("Marked as verified today."))
        return redirect(self.resource.get_absolute_url())


class ResourceDeleteView(ResourceMixin, RecordDeleteView):
    delete_service = services.resource_delete
    list_url = "resources:resources"
    removed = gettext_lazy("The resource was removed.")


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


class GeoJSONExportView(CommunityMixin, TemplateView):
    """Download the placed resources the reader may see as GeoJSON, marked with their narrowest TLP."""

    def get(self, request, *args, **kwargs):
        from django.http import StreamingHttpResponse

        from ..exports import geojson_export

        chunks, marking = geojson_export(viewer=self.viewer, community=self.community)
        response = StreamingHttpResponse(chunks, content_type="application/geo+json")
        tag = marking.replace(":", "-").replace("+", "-")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.community.slug}-resources-{tag}.geojson"'
        )
        return mark_response(response, marking)
