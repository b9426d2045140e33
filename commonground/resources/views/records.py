"""What the resource and agreement pages share: the form's organizations, and creating, changing and removing
one record through its service."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.viewer import ViewerMixin
from commonground.core.views import ServiceFormView
from commonground.registry.models import Organization
from commonground.registry.selectors import organizations_acted_for

from ..permissions import can_record_resources


class RecordingMixin:
    """What a resource or agreement form offers: the organizations the viewer may record for, and its peers.

    The form's other choices (people, resources) come from `form_choices()`.
    """

    @cached_property
    def recordable_organizations(self):
        return organizations_acted_for(viewer=self.viewer, community=self.community)

    def peers(self):
        return Organization.objects.in_community(self.community)

    def form_choices(self) -> dict:
        return {}


class RecordCreateView(CommunityMixin, RecordingMixin, ServiceFormView):
    """Record a resource or an agreement: organization admins and co-chairs, for an organization they act for.

    A subclass names its service in `create_service` and the refusal of anyone else in `denied`.
    """

    step = 4
    create_service = None
    denied = ""

    def dispatch(self, request, *args, **kwargs):
        if not can_record_resources(self.viewer, self.community):
            raise PermissionDenied(self.denied)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(organizations=self.recordable_organizations, peers=self.peers(), **self.form_choices())
        kwargs.setdefault("initial", {})
        if self.viewer.organization_id:
            kwargs["initial"]["organization"] = self.viewer.organization_id
        return kwargs

    def service_call(self, form):
        data = dict(form.cleaned_data)
        organization = data.pop("organization")
        return type(self).create_service(
            actor=self.request.user, community=self.community, organization=organization, **data
        )


class RecordMixin(ViewerMixin):
    """A page of one resource or agreement: the record named by `record_argument`, read by `record`."""

    record_argument = ""

    @property
    def record(self):
        return getattr(self, self.record_argument)


class RecordEditView(RecordingMixin, ServiceFormView):
    """Change a resource or an agreement: whoever `may_edit()`; its organization stays.

    A subclass names its service in `update_service` and the refusal of anyone else in `denied`.
    """

    success_message = gettext_lazy("Saved.")
    update_service = None
    denied = ""

    def may_edit(self) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.may_edit():
            raise PermissionDenied(self.denied)
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        return self.record

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            organizations=Organization.objects.filter(pk=self.record.organization_id),
            peers=self.peers(),
            **self.form_choices(),
        )
        return kwargs

    def service_call(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "organization"}
        return type(self).update_service(
            actor=self.request.user, data=data, **{self.record_argument: self.record}
        )


class RecordDeleteView(TemplateView):
    """Remove a resource or an agreement (POST), then show the community's list of them.

    A subclass names its service in `delete_service`, the list in `list_url` and what the reader is told in
    `removed`.
    """

    http_method_names = ["post"]
    delete_service = None
    list_url = ""
    removed = ""

    def post(self, request, *args, **kwargs):
        community = self.record.community
        type(self).delete_service(actor=request.user, **{self.record_argument: self.record})
        messages.success(request, self.removed)
        return redirect(reverse(self.list_url, args=[community.slug]))
