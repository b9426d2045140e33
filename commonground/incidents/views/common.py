"""What the incident pages share: the incident or request named in the address, read as the viewer may see it."""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from commonground.core.viewer import ViewerMixin
from commonground.registry.models import Organization

from .. import selectors
from ..models import Incident
from ..permissions import can_lead_incident


def error_messages(error: ValidationError) -> list[str]:
    """Return a service's refusal as sentences."""
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


def safe_next(request, default: str) -> str:
    """Return the page a form asked to come back to (`next`), if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def request_organizations(viewer, incident: Incident):
    """Return the organizations at the table the viewer may request resources for: the leadership any of them,
    members their own."""
    organizations = Organization.objects.in_community(incident.community).order_by("name")
    if can_lead_incident(viewer, incident):
        return organizations
    if viewer.organization_id is None or incident.community_id not in viewer.community_ids:
        return organizations.none()
    return organizations.filter(pk=viewer.organization_id)


class IncidentMixin(ViewerMixin):
    """A page about one incident the viewer may see; any other is a 404."""

    @cached_property
    def incident(self) -> Incident:
        return get_object_or_404(
            selectors.incident_list(viewer=self.viewer).prefetch_related("recipient_organizations"),
            pk=self.kwargs["pk"],
        )

    @property
    def community(self):
        return self.incident.community

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            incident=self.incident, community=self.incident.community, step=None, viewer=self.viewer,
            leads=can_lead_incident(self.viewer, self.incident),
        )  # fmt: skip
        context.setdefault("tlp_marking", self.incident.tlp)
        return context
