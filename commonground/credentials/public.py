"""The program's public documents: the JWKS and the checkpoint bundle (TLP:CLEAR by design, no login).

Both answer with an ETag (a digest of their content, `generated_at` aside) and honour If-None-Match with a
304, so a checkpoint on a weak network downloads only what changed. The bundle is built once for each of its
versions (`selectors.bundle_version`) and kept in the cache: a checkpoint that asks again, with or without
its ETag, costs the version's few aggregates, never a rebuild.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.views.decorators.http import require_GET

from commonground.communities.models import Community

from .selectors import bundle_version, checkpoint_bundle, published_keys

CACHE_CONTROL = "public, max-age=60, must-revalidate"
# A cached bundle is kept at most this long (seconds); a new version is a new cache key at once.
BUNDLE_CACHE_SECONDS = 24 * 3600


def _community(slug: str) -> Community:
    community = Community.objects.filter(slug=slug, credential_program__isnull=False).first()
    if community is None:
        raise Http404
    return community


def _etag(fingerprint: dict) -> str:
    return '"' + hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:32] + '"'


def _answer(request, etag: str, body: str) -> HttpResponse:
    matches = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in matches or "*" in matches:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(content: dict) -> str:
    return json.dumps(content, separators=(",", ":"))


@login_not_required
@require_GET
def jwks(request, slug):
    community = _community(slug)
    content = {"keys": [key.public_jwk for key in published_keys(community)]}
    return _answer(request, _etag(content), _json(content))


def cached_bundle(community) -> tuple[str, str]:
    """Return the ETag and the body of the community's checkpoint bundle, built once a version."""
    now = timezone.now()
    version, changes_at = bundle_version(community, now)
    key = "credentials:bundle:" + hashlib.sha256(f"{community.pk}:{version}".encode()).hexdigest()
    found = cache.get(key)
    # A bundle also changes by time alone (an activation ends, a revoked card expires): kept until then.
    if found is None or now.timestamp() >= found[2]:
        content = checkpoint_bundle(community, now)
        etag = _etag({k: v for k, v in content.items() if k != "generated_at"})
        found = (etag, _json(content), changes_at.timestamp() if changes_at else float("inf"))
        timeout = BUNDLE_CACHE_SECONDS
        if changes_at is not None:
            timeout = max(1, min(timeout, int((changes_at - now).total_seconds()) + 1))
        cache.set(key, found, timeout)
    return found[0], found[1]


@login_not_required
@require_GET
def checkpoint(request, slug):
    return _answer(request, *cached_bundle(_community(slug)))
