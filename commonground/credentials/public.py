"""The program's public documents: the JWKS and the checkpoint bundle (TLP:CLEAR by design, no login).

Both answer with an ETag (a digest of their content, `generated_at` aside) and honour If-None-Match with a
304, so a checkpoint on a weak network downloads only what changed.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET

from commonground.communities.models import Community

from .models import Program
from .selectors import checkpoint_bundle, published_keys

CACHE_CONTROL = "public, max-age=60, must-revalidate"


def _community(slug: str) -> Community:
    community = Community.objects.filter(slug=slug).first()
    if community is None or not Program.objects.filter(community=community).exists():
        raise Http404
    return community


def _answer(request, content: dict, fingerprint: dict) -> HttpResponse:
    etag = '"' + hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:32] + '"'
    matches = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in matches or "*" in matches:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(json.dumps(content, separators=(",", ":")), content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
def jwks(request, slug):
    community = _community(slug)
    content = {"keys": [key.public_jwk for key in published_keys(community)]}
    return _answer(request, content, content)


@login_not_required
@require_GET
def checkpoint(request, slug):
    community = _community(slug)
    content = checkpoint_bundle(community)
    return _answer(request, content, {k: v for k, v in content.items() if k != "generated_at"})
