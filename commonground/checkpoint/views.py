"""The checkpoint page and its service worker.

The page is open to anyone who has its address (officers at a perimeter need not be members); it shows
nothing but the community's name, and the bundle it verifies against is public. Uploading the check log
needs a signed-in member, which the upload endpoint decides.
"""

import json
from urllib.parse import quote

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from commonground.communities.models import Community
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for

from . import endpoints

# What the service worker keeps for the page besides the page itself and the bundle: every file it loads.
PAGE_ASSETS = (
    "vendor/uswds/css/uswds.min.css",
    "commonground/site.css",
    "commonground/checkpoint.css",
    "vendor/uswds/js/uswds-init.min.js",
    "vendor/uswds/js/uswds.min.js",
    "vendor/htmx/htmx.min.js",
    "commonground/site.js",
    "vendor/jsqr/jsQR.js",
    "commonground/checkpoint-store.js",
    "commonground/checkpoint-verify.js",
    "commonground/checkpoint.js",
    "vendor/uswds/img/favicons/favicon.ico",
)


@method_decorator([login_not_required, ensure_csrf_cookie], name="dispatch")
class CheckpointView(TemplateView):
    """Scan, verify and log re-entry credentials, offline once loaded."""

    template_name = "checkpoint/checkpoint.html"

    def get_context_data(self, **kwargs):
        community = get_object_or_404(Community, slug=self.kwargs["slug"])
        # The community's menu and breadcrumb (`community` in base.html) only for those who sit at its table:
        # an officer who is not a member would find every link in them closed.
        seated = viewer_for(self.request.user).is_member_of(community.pk)
        return super().get_context_data(
            community=community if seated else None,
            checkpoint_community=community,
            tlp_marking=TLP.CLEAR,
            bundle_url=endpoints.bundle_url(community.slug),
            upload_url=endpoints.upload_url(),
            service_worker_url=reverse("checkpoint:service_worker", args=[community.slug]),
            login_url=f"{reverse('login')}?next={quote(self.request.path)}",
            **kwargs,
        )


@login_not_required
@require_safe
def service_worker(request, slug):
    """The page's service worker: its settings (what to keep) and then its script, a static file.

    Served under the page's own address, so its scope (this folder) covers the page without a
    Service-Worker-Allowed header. Its text changes whenever a kept file changes (the static names carry
    their hash in production), which makes the browser install the new worker.
    """
    community = get_object_or_404(Community, slug=slug)
    page = reverse("checkpoint:page", args=[community.slug])
    settings = {
        "page": page,
        "bundle": endpoints.bundle_url(community.slug),
        "assets": [static(asset) for asset in PAGE_ASSETS] + [reverse("javascript-catalog")],
    }
    body = (
        "// The checkpoint's service worker (commonground/checkpoint): settings, then the worker itself.\n"
        f"self.CHECKPOINT = {json.dumps(settings)};\n"
        f"importScripts({json.dumps(static('commonground/checkpoint-sw.js'))});\n"
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = page
    return response
