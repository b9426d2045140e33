"""Every surface a reader can GET, read from the URL resolver, with its parameters filled from a leak world.

A path parameter is filled by the path segment it follows (`resources/<pk>` takes the planted
resources' ids); a segment missing from `SEGMENT_IDS` fails the completeness test, so a new page or
endpoint is crawled as soon as it exists.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from commonground.agenda.models import Issue
from commonground.core.exchange import EXPORTS
from commonground.credentials.models import Credential, Nomination, Program
from commonground.incidents.models import (
    Alert,
    Assignment,
    Incident,
    OperationalPeriod,
    ResourceRequest,
    TimelineEntry,
)
from commonground.newsletters.models import Newsletter, Section
from commonground.registry.models import Person
from commonground.resources.models import Agreement, Resource
from commonground.risks.models import CriticalFunction, HazardAssessment
from commonground.socialcapital.models import NetworkSnapshot
from commonground.sustainability.calendar import feed_token
from commonground.sustainability.models import NeedsAnswer

from .leak_records import LeakWorld

# The schema and its viewers; a password-reset link and an e-mail change link (a login's id and a one-time
# token, no marked record).
SKIPPED = {"schema", "api-docs", "api-redoc", "password_reset_confirm", "email_change_confirm"}
FORMATS = ["csv", "xlsx"]

# The ids a path segment names, for the planted world; an empty list for what holds no marked record.
SEGMENT_IDS: dict[str, Callable[[LeakWorld], list]] = {
    "organizations": lambda w: [o.pk for o in w.organizations],
    "people": lambda w: [r.pk for r in w.records(Person)],
    "resources": lambda w: [r.pk for r in w.records(Resource)],
    "agreements": lambda w: [r.pk for r in w.records(Agreement)],
    "issues": lambda w: [r.pk for r in w.records(Issue)],
    "critical-functions": lambda w: [r.pk for r in w.records(CriticalFunction)],
    "assessments": lambda w: [r.pk for r in w.records(HazardAssessment)],
    "hazards": lambda w: sorted({r.hazard_id for r in w.records(HazardAssessment)}),
    "needs": lambda w: [n.pk for n in w.needs],
    "needs-assessments": lambda w: [n.pk for n in w.needs],
    "needs-items": lambda w: sorted({a.item_id for a in w.records(NeedsAnswer)}),
    # The mission areas of an answer sheet (`/needs/{pk}/answer/{area}/`) the planted answers are in.
    "answer": lambda w: sorted({a.item.mission_area for a in w.records(NeedsAnswer)}),
    "audit": lambda w: w.audit_entries(),
    "memberships": lambda w: [],
    # A passkey holds no marked record; only its owner reaches its pages (accounts/tests/test_twofactor_passkeys.py).
    "passkeys": lambda w: [],
    # An import job shows only its own file's report, to the one who started it.
    "import": lambda w: [],
    "cochairs": lambda w: [],
    "invitations": lambda w: [],
    "invite": lambda w: [],
    "votes": lambda w: [],
    "issue-votes": lambda w: [],
    "goals": lambda w: [],
    "tasks": lambda w: [],
    "meetings": lambda w: [],
    "objectives": lambda w: [],
    "observations": lambda w: [],
    "incidents": lambda w: [r.pk for r in w.records(Incident)] + [i.pk for i in w.hosts],
    "operational-periods": lambda w: list(OperationalPeriod.objects.values_list("pk", flat=True)),
    "resource-requests": lambda w: list(ResourceRequest.objects.values_list("pk", flat=True)),
    "requests": lambda w: list(ResourceRequest.objects.values_list("pk", flat=True)),
    "assignments": lambda w: list(Assignment.objects.values_list("pk", flat=True)),
    "timeline-entries": lambda w: [r.pk for r in w.records(TimelineEntry)],
    "network-snapshots": lambda w: list(NetworkSnapshot.objects.values_list("pk", flat=True)),
    "newsletters": lambda w: list(Newsletter.objects.values_list("pk", flat=True)),
    "sections": lambda w: list(Section.objects.values_list("pk", flat=True)),
    # A saved segment names an audience, no record; the unsubscribe page shows only its own login's choice.
    "segments": lambda w: [],
    "unsubscribe": lambda w: [],
    # The credential program's records are read by role (leak_credentials.py): its planted ones each hold markers.
    "nominations": lambda w: [r.pk for r in w.records(Nomination)],
    "cards": lambda w: [r.public_id for r in w.records(Credential)],
    "credential-facilities": lambda w: sorted(
        {f.pk for r in w.records(Nomination) for f in r.facilities.all()}
    ),
    "credential-nominations": lambda w: [r.pk for r in w.records(Nomination)],
    "credentials": lambda w: [r.pk for r in w.records(Credential)],
    "credential-activations": lambda w: [],
    # The program is read by the whole table and marks nothing: it is crawled for the markers of what it names.
    "credential-programs": lambda w: list(Program.objects.values_list("pk", flat=True)),
    "alerts": lambda w: (
        [r.pk for r in w.records(Alert)] + [a.pk for i in w.records(Incident) for a in i.alerts.all()]
    ),
}
# Query strings a page reads besides its path (the answer sheet names the organization answered for).
QUERIES: dict[str, Callable[[LeakWorld], list[str]]] = {
    "sustainability:answer": lambda w: [f"?organization={o.pk}" for o in w.owners],
    "sustainability:answer_area": lambda w: [f"?organization={o.pk}" for o in w.owners],
}
# The API's answers are read in full pages, and in each other format they come in (an alert's CAP XML).
API_QUERIES: dict[str, list[str]] = {"api:alert-detail": ["", "?format=xml"]}
PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Surface:
    name: str
    template: str  # "/resources/{pk}/edit/"
    api: bool

    def __str__(self) -> str:
        return self.name


def _template(pattern) -> str | None:
    if isinstance(pattern, RoutePattern):
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern._route)
    elif isinstance(pattern, RegexPattern):
        template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern._regex.lstrip("^").rstrip("$"))
    else:
        return None
    # A format suffix repeats the URL it extends.
    return None if "{format}" in template else template


def _gettable(callback) -> bool:
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return "get" in actions
    view = getattr(callback, "view_class", None)
    if view is None:
        return True
    return hasattr(view, "get") and "get" in view.http_method_names


def surfaces(resolver=None, prefix: str = "/", namespace: str = "") -> list[Surface]:
    """Return every URL a GET reaches, once each (no format-suffix twins)."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        template = _template(pattern.pattern)
        if template is None:
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += surfaces(pattern, prefix + template, inner)
        elif isinstance(pattern, URLPattern) and _gettable(pattern.callback):
            name = namespace + (pattern.name or template)
            if name not in SKIPPED:
                found.append(Surface(name, prefix + template, namespace.startswith("api:")))
    unique = {(s.name, s.template): s for s in found}
    return sorted(unique.values(), key=lambda s: (s.name, s.template))


def _values(surface: Surface, name: str, world: LeakWorld, role: str) -> list:
    if name == "slug":
        return [c.slug for c in world.communities]
    if name == "kind":
        return sorted(EXPORTS)
    if name == "fmt":
        return FORMATS
    if name == "token" and "calendar" in surface.template:
        user = world.user(role)
        return [feed_token(user=user, community=c) for c in world.communities] if user else []
    return SEGMENT_IDS[segment_of(surface, name)](world)


FILLED_BY_NAME = {"slug", "kind", "fmt", "token"}


def segment_of(surface: Surface, name: str) -> str:
    """Return the path segment a parameter follows: `resources` for `/resources/{pk}/`."""
    return surface.template.split("{" + name + "}")[0].rstrip("/").rsplit("/", 1)[-1]


def unfilled(surface: Surface) -> list[str]:
    """Return the parameters of a surface that nothing fills (a new segment for SEGMENT_IDS)."""
    return [
        name
        for name in PARAMETER.findall(surface.template)
        if name not in FILLED_BY_NAME and segment_of(surface, name) not in SEGMENT_IDS
    ]


def paths(surface: Surface, world: LeakWorld, role: str) -> list[str]:
    """Return the paths of a surface for one reader: every planted record it names, every variant."""
    names = PARAMETER.findall(surface.template)
    choices = [_values(surface, name, world, role) for name in names]
    queries = QUERIES.get(surface.name, lambda w: [""])(world)
    if surface.api:
        queries = API_QUERIES.get(surface.name, ["?page_size=200"])
    found = []
    for combination in itertools.product(*choices):
        path = surface.template.format(**dict(zip(names, combination, strict=True)))
        found += [path + query for query in queries]
    return found


def text(response) -> bytes:
    """Return what a reader reads in a response: a workbook's sheets unzipped, a stream joined."""
    return readable(b"".join(response.streaming_content) if response.streaming else response.content)


def readable(content: bytes) -> bytes:
    """Return the text of a file as a reader sees it: a workbook's parts unzipped."""
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return b"".join(book.read(name) for name in book.namelist())
    return content


def fetch(client, path: str) -> list[tuple[str, int, bytes]]:
    """GET a path and every further page of it: (path, status, body) each."""
    pages = []
    while path and len(pages) < 50:
        response = client.get(path)
        pages.append((path, response.status_code, text(response)))
        path = _next_page(path, response)
    return pages


def _next_page(path: str, response) -> str | None:
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            data = response.json()
        except ValueError:
            return None
        following = data.get("next") if isinstance(data, dict) else None
        return following.replace("http://testserver", "") if following else None
    page = response.context.get("page_obj") if response.context is not None else None
    if page is not None and getattr(page, "has_next", lambda: False)():
        base = re.sub(r"[?&]page=\d+", "", path)
        return f"{base}{'&' if '?' in base else '?'}page={page.next_page_number()}"
    return None
