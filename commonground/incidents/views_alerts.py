"""The CAP alerts as files: one alert's XML, and the community's Atom feed of them. Both are open to visitors,
who get TLP:CLEAR alerts only; an alert the reader may not see is missing (404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from commonground.core.tlp import TLP, mark_response
from commonground.core.viewer import viewer_for

from . import selectors
from .cap import CAP_CONTENT_TYPE
from .feeds import CommunityAlertFeed


@login_not_required
@require_safe
def alert_xml(request, pk: int) -> HttpResponse:
    """Return one alert's CAP 1.2 XML as it was sent, marked with its TLP in the `X-TLP` header."""
    alert = get_object_or_404(selectors.alert_list(viewer=viewer_for(request.user)), pk=pk)
    response = HttpResponse(alert.xml.encode("utf-8"), content_type=f"{CAP_CONTENT_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{alert.identifier}.xml"'
    mark_response(response, alert.tlp)
    if alert.tlp != TLP.CLEAR:
        response["Cache-Control"] = "private"
    return response


alert_feed = login_not_required(require_safe(CommunityAlertFeed()))
