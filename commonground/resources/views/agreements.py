"""The pages of sharing agreements between organizations at the table."""

from functools import cached_property

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.views import MarkedPageMixin, paginate, querystring_without_page
from commonground.registry.filtersets import choose_organization

from .. import selectors, services
from ..filtersets import AgreementFilterSet
from ..forms import AgreementForm
from ..models import Agreement
from ..permissions import can_edit_agreement, can_record_resources
from .records import RecordCreateView, RecordDeleteView, RecordEditView, RecordMixin


class AgreementListView(MarkedPageMixin, CommunityMixin, TemplateView):
    template_name = "resources/agreement_list.html"
    step = 4

    def get_context_data(self, **kwargs):
        queryset = selectors.agreement_list(viewer=self.viewer, community=self.community)
        filterset = AgreementFilterSet(self.request.GET, queryset=queryset)
        choose_organization(filterset, viewer=self.viewer, community=self.community, name="party")
        page_obj = paginate(self.request, filterset.qs if filterset.is_valid() else queryset.none())
        return super().get_context_data(
            filterset=filterset,
            page_obj=page_obj,
            querystring=querystring_without_page(self.request),
            can_add=can_record_resources(self.viewer, self.community),
            **kwargs,
        )


class AgreementFormMixin:
    """The agreement form offers the community's resources the viewer may see."""

    template_name = "resources/agreement_form.html"
    form_class = AgreementForm

    def form_choices(self) -> dict:
        return {"resources": selectors.resource_list(viewer=self.viewer, community=self.community)}

    def get_success_url(self):
        return reverse("resources:agreement_detail", args=[self.object.pk])


class AgreementCreateView(AgreementFormMixin, RecordCreateView):
    create_service = services.agreement_create
    denied = gettext_lazy("Only organization admins and co-chairs record agreements.")
    success_message = gettext_lazy("The agreement is recorded.")


class AgreementMixin(RecordMixin):
    record_argument = "agreement"

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


class AgreementEditView(AgreementFormMixin, AgreementMixin, RecordEditView):
    update_service = services.agreement_update
    denied = gettext_lazy("Only a party's admin or a co-chair changes agreements.")

    @property
    def community(self):
        return self.agreement.community

    def may_edit(self) -> bool:
        return can_edit_agreement(self.viewer, self.agreement)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, community=self.community, step=4, **kwargs)


class AgreementDocumentView(AgreementMixin, TemplateView):
    """Download an agreement's document; only those who may see the agreement."""

    def get(self, request, *args, **kwargs):
        document = self.agreement.document
        if not document:
            raise Http404
        return FileResponse(
            document.open("rb"), as_attachment=True, filename=document.name.rsplit("/", 1)[-1]
        )


class AgreementDeleteView(AgreementMixin, RecordDeleteView):
    delete_service = services.agreement_delete
    list_url = "resources:agreements"
    removed = gettext_lazy("The agreement was removed.")
