"""Every list page and API list costs a fixed number of queries: its baseline, with 10 rows or 40.

The lists are read from the URL resolver and the API schema, so a new list without a baseline fails
`test_every_list_has_a_baseline`. A baseline is exact: a regression and an improvement both show, and
the number is changed here on purpose. Each list is measured with rows in it.
"""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from commonground.agenda.models import Issue
from commonground.communities.models import Membership
from commonground.core.testing import api_operations
from commonground.incidents.models import Incident
from commonground.newsletters.choices import NewsletterStatus
from commonground.newsletters.models import Newsletter
from commonground.risks.models import Hazard
from commonground.sustainability.models import (
    Attendance,
    ExerciseObjective,
    Meeting,
    NeedsAssessment,
    Observation,
)

from .query_world import grow

NEAR = {"near": "42.7,-84.5", "radius_km": 100}
FAR = {"near": "-42.7,95.5"}


def latest(model) -> int:
    return model.objects.order_by("-pk").first().pk


def latest_draft() -> int:
    return Newsletter.objects.filter(status=NewsletterStatus.DRAFT).order_by("-pk").first().pk


# API list (path template in the schema): (query, or a function of nothing giving the path; queries)
API_BASELINES = {
    "/api/v1/communities/": ({}, 4),
    "/api/v1/communities/{slug}/coverage/": ({}, 8),
    "/api/v1/communities/{slug}/progress/": ({}, 12),
    # one more where a total's sector parts decide a hazard (core.aggregates.summaries); one for the community's
    # progress token, the profile being kept for the reader between writes (each count here follows a write)
    "/api/v1/communities/{slug}/risk-profile/": ({}, 8),
    "/api/v1/organizations/": ({}, 5),
    "/api/v1/people/": ({}, 4),
    "/api/v1/memberships/": ({}, 4),
    "/api/v1/cochairs/": ({}, 4),
    "/api/v1/invitations/": ({}, 4),
    "/api/v1/audit/": ({}, 4),
    "/api/v1/resources/": ({}, 4),  # a short list's keys (which count it), its rows with their recipients
    "/api/v1/resources/?near": ({**NEAR, "q": "grown"}, 4),
    "/api/v1/resource-categories/": ({}, 1),
    "/api/v1/agreements/": ({}, 7),
    "/api/v1/hazards/": ({"community": "riverbend"}, 5),
    "/api/v1/critical-functions/": ({}, 5),
    "/api/v1/assessments/": ({}, 6),
    "/api/v1/issues/": ({}, 6),
    "/api/v1/issues/{id}/endorsements/": ({}, 8),
    "/api/v1/issues/{id}/comments/": ({}, 8),
    "/api/v1/issue-votes/": ({}, 5),
    "/api/v1/needs-assessments/": ({}, 5),
    "/api/v1/needs-assessments/{id}/answers/": ({}, 6),
    # The community's progress token, then the reader's kept profile (built here: the cache is cleared).
    "/api/v1/needs-assessments/{id}/profile/": ({}, 9),
    "/api/v1/goals/": ({}, 6),
    "/api/v1/tasks/": ({}, 4),
    "/api/v1/meetings/": ({}, 10),
    "/api/v1/incidents/": ({"community": "riverbend"}, 6),
    "/api/v1/incidents/{id}/plan/": ({}, 7),
    "/api/v1/incidents/{id}/geojson/": ({}, 7),
    "/api/v1/operational-periods/": ({}, 4),
    "/api/v1/resource-requests/": ({}, 4),
    "/api/v1/assignments/": ({}, 4),
    "/api/v1/commitments/": ({}, 4),
    "/api/v1/timeline-entries/": ({}, 5),
    "/api/v1/alerts/": ({}, 4),
    "/api/v1/network-snapshots/": ({}, 4),
    "/api/v1/program/statistics/": ({}, 14),  # its token, and every row: the first reading after a write
    "/api/v1/program/communities/": ({}, 7),
    "/api/v1/newsletters/": ({}, 8),
    "/api/v1/newsletters/archive/": ({}, 8),
    "/api/v1/newsletters/{id}/audience/": ({}, 7),
    "/api/v1/newsletters/{id}/preview/": ({}, 14),
    "/api/v1/credential-programs/": ({}, 5),
    "/api/v1/credential-facilities/": ({}, 4),
    "/api/v1/credential-nominations/": ({}, 5),
    "/api/v1/credentials/": ({}, 4),
    "/api/v1/credential-activations/": ({}, 4),
}
# The record a nested list belongs to: the newest one grown.
API_PARENTS = {"{slug}": lambda: "riverbend", "{id}/endorsements": lambda: latest(Issue), "{id}/comments": lambda: latest(Issue),
               "{id}/answers": lambda: latest(NeedsAssessment), "{id}/profile": lambda: latest(NeedsAssessment),
               "{id}/plan": lambda: latest(Incident), "{id}/geojson": lambda: latest(Incident),
               "{id}/audience": lambda: latest_draft(), "{id}/preview": lambda: latest_draft()}  # fmt: skip
# Page (URL name): (query; queries). Every page of a community reads its open incidents for the banner (one).
# A filter that names an organization or a hazard reads those names for its select (one each: the audit log,
# people, resources, agreements and functions one, the assessments and the issues two).
PAGE_BASELINES = {
    "landing": ({}, 6),
    "communities:list": ({}, 5),
    # 18, the network panel's snapshot, the progress token (none here: a write draws it when it commits, which a
    # test's transaction never does, so the snapshot is built)
    "communities:dashboard": ({}, 20),
    "communities:leadership": ({}, 8),
    "communities:audit": ({}, 8),
    "registry:organizations": ({}, 7),
    "registry:people": ({}, 8),
    "registry:invitations": ({}, 8),
    "registry:invitation_tree": ({}, 6),
    "registry:coverage": ({}, 10),
    "resources:resources": ({}, 10),  # a short list's keys (which count it), then its rows
    "resources:resources?near": (NEAR, 10),
    "resources:geojson": ({}, 5),
    "resources:contribution": ({}, 7),
    "resources:agreements": ({}, 11),
    "risks:hazards": ({}, 6),
    "risks:profile": (
        {},
        10,
    ),  # the token of the profile kept between writes (risks.profile.kept_risk_profile)
    "risks:profile_print": ({}, 9),
    "risks:assessments": ({}, 9),
    "risks:functions": ({}, 8),
    "agenda:issues": ({}, 11),
    "agenda:agenda": ({}, 9),
    "sustainability:assessments": ({}, 6),
    "sustainability:goals": ({}, 8),
    # the steps from the dashboard's snapshot: built here (no write has stamped the community), kept in use
    # ...and the token before the reader's kept plan (built here: the cache is cleared).
    "sustainability:partnership_plan": ({}, 38),
    "sustainability:calendar": ({}, 5),
    "sustainability:meetings": ({}, 7),
    "incidents:incidents": ({}, 8),
    "incidents:alert_feed": ({}, 5),
    "socialcapital:network": ({}, 8),  # the latest snapshot whole, then the trend figures alone
    "program:statistics": ({}, 17),  # its token, and every row: the first reading after a write
    "newsletters:list": ({}, 7),
    "newsletters:segments": ({}, 7),
    "newsletters:public": ({}, 5),
    "newsletters:feed": ({}, 6),
    "credentials:jwks": ({}, 4),
    # Built once a version (its version costs 5 queries: the keys, credentials, activations, facilities and
    # areas with their incidents), then kept in the cache: a checkpoint's next call costs 8.
    "credentials:checkpoint_bundle": ({}, 12),
    "credentials:program": ({}, 9),
    "credentials:facilities": ({}, 7),
    "credentials:nominations": ({}, 9),
    "credentials:wallet_list": ({}, 7),
    "mywork:home": ({}, 12),
    "profile": ({}, 4),
}
# Pages with no record of a community's to list (forms, the site's own pages).
NOT_LISTS = {
    "health", "javascript-catalog", "login", "logout", "schema", "api-docs", "api-redoc",
    # The account's forms and their confirmations, and the language switch: no rows to count.
    "set_language", "password_change", "password_change_done", "password_reset", "password_reset_done",
    "password_reset_complete",
    # The profile's forms (its lists of sessions and tokens are the "profile" baseline's).
    "email_change", "sessions_end_others",
    # Two-step sign-in (accounts/twofactor): one's own authenticator and codes, no rows to count.
    "twofactor:overview", "twofactor:enrol", "twofactor:verify", "twofactor:recovery_codes",
    "twofactor:recovery_codes_download", "twofactor:regenerate", "twofactor:disable",
    # Passkeys: django-otp-webauthn's JSON endpoints (POST) and its scripts' catalogue.
    "otp_webauthn:credential-registration-begin", "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin", "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
    # A button's target (POST): asks the worker to measure the network.
    "socialcapital:network_measure", "socialcapital:network_introduce",
    # The facilitators' table (a co-chair, who measures these lists, is refused it): measured as a facilitator,
    # with few communities and many, by `test_the_program_pages_cost_constant_queries`; and its button (POST).
    "program:communities", "program:refresh",
    # The credential program's buttons (POST): a new signing key.
    "credentials:key_rotate",
    # The checkpoint page and its service worker list no rows: the page reads the credentials bundle
    # ("credentials:checkpoint_bundle", measured) from the browser.
    "checkpoint:page", "checkpoint:service_worker",
}  # fmt: skip
FORM_WORDS = ("create", "edit", "import")


def api_lists() -> set[str]:
    """Return every API list in the schema: each GET whose path does not end in one record's key.

    The credential program's public documents, in the schema too, are pages (measured among PAGE_BASELINES).
    """
    return {
        path
        for method, path in api_operations()
        if method == "GET"
        and path.startswith("/api/")
        and not path.endswith(("{id}/", "{slug}/"))
        and path != "/api/v1/auth/token/"
    }


def list_pages(resolver=None, namespace: str = "", prefix: str = "") -> dict[str, str]:
    """Return each page (URL name: route) that takes no key but its community's, forms aside."""
    found = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver) and pattern.namespace != "api":
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= list_pages(pattern, inner, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = namespace + pattern.name
            if set(pattern.pattern.regex.groupindex) <= {"slug"} and not any(w in name for w in FORM_WORDS):
                found[name] = "/" + route.replace("<slug:slug>", "riverbend")
    return {name: route for name, route in found.items() if name not in NOT_LISTS}


def count_queries(fetch) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200
    return len(queries)


def api_path(key: str) -> str:
    template = key.split("?")[0]
    for part, value in API_PARENTS.items():
        if part in template:
            template = template.replace(part.split("/")[0], str(value()))
    return template


def with_query(path: str, query: dict) -> str:
    return f"{path}?{urlencode({**query, 'page_size': 200})}"


def rows_in(response) -> int:
    """Count the rows a list answered with (a page without a paginated list counts as one)."""
    if hasattr(response, "data"):
        data = response.json()
        results = data.get("results", data) if isinstance(data, dict) else data
        return len(results)
    context = response.context or {}
    return len(context["page_obj"]) if "page_obj" in context else 1


def test_every_list_has_a_baseline(db):
    assert api_lists() == {key.split("?")[0] for key in API_BASELINES}, "API lists without a baseline"
    assert set(list_pages()) == {key.split("?")[0] for key in PAGE_BASELINES}, "list pages without a baseline"


@pytest.mark.parametrize("key", sorted(API_BASELINES))
def test_each_api_list_costs_its_baseline(table, key):
    query, baseline = API_BASELINES[key]
    client = APIClient()

    def fetch():
        client.force_authenticate(type(table.cochair).objects.get(pk=table.cochair.pk))  # fresh, as a request
        return client.get(with_query(api_path(key), query))

    grow(table, 10)
    small = count_queries(fetch)
    grow(table, 30)
    large = count_queries(fetch)
    assert rows_in(fetch()) > 0, "the list measured is empty"
    if "near" in query:  # the distance search is applied: nothing lies near the other side of the globe
        assert rows_in(client.get(with_query(api_path(key), {**query, **FAR}))) == 0
    assert (small, large) == (baseline, baseline), f"{key}: set its baseline to the new count"


@pytest.mark.parametrize("name", sorted(PAGE_BASELINES))
def test_each_list_page_costs_its_baseline(client, table, name):
    query, baseline = PAGE_BASELINES[name]
    path = with_query(list_pages()[name.split("?")[0]], query)
    client.force_login(table.cochair)
    grow(table, 10)
    small = count_queries(lambda: client.get(path))
    grow(table, 30)
    large = count_queries(lambda: client.get(path))
    assert rows_in(client.get(path)) > 0, "the list measured is empty"
    if "near" in query:  # the distance search is applied: nothing lies near the other side of the globe
        far = with_query(list_pages()[name.split("?")[0]], {**query, **FAR})
        assert rows_in(client.get(far)) == 0
    assert (small, large) == (baseline, baseline), f"{name}: set its baseline to the new count"


def test_a_hazard_page_costs_constant_queries(client, table):
    client.force_login(table.cochair)
    url = f"/c/riverbend/hazards/{Hazard.objects.get(community=None, code='tornado').pk}/?page_size=200"
    grow(table, 10)
    small = count_queries(lambda: client.get(url))
    grow(table, 190)
    assert count_queries(lambda: client.get(url)) == small


def test_a_needs_profile_costs_constant_queries(client, table):
    client.force_login(table.cochair)
    grow(table, 10)
    url = f"/needs/{NeedsAssessment.objects.order_by('-pk').first().pk}/"
    small = count_queries(lambda: client.get(url))
    grow(table, 190)
    url = f"/needs/{NeedsAssessment.objects.order_by('-pk').first().pk}/"
    assert count_queries(lambda: client.get(url)) == small


def test_an_exercise_page_costs_constant_queries(client, table):
    client.force_login(table.cochair)
    grow(table, 10)
    exercise = Meeting.objects.order_by("pk").first()
    small = count_queries(lambda: client.get(f"/meetings/{exercise.pk}/"))
    grow(table, 190)
    # the second exercise's attendance, objectives and observations all go to the first
    second = Meeting.objects.exclude(pk=exercise.pk).annotate(n=Count("attendance")).order_by("-n").first()
    Attendance.objects.filter(meeting=second).exclude(organization__attendance__meeting=exercise).update(
        meeting=exercise
    )
    ExerciseObjective.objects.update(meeting=exercise)
    Observation.objects.update(meeting=exercise)
    assert exercise.attendance.count() > 150 and exercise.objectives.count() == 200
    assert count_queries(lambda: client.get(f"/meetings/{exercise.pk}/")) == small


def test_the_calendar_costs_constant_queries(client, table):
    client.force_login(table.member)
    grow(table, 10)
    small = count_queries(lambda: client.get("/c/riverbend/calendar/?format=ics"))
    grow(table, 190)
    assert count_queries(lambda: client.get("/c/riverbend/calendar/?format=ics")) == small


def test_the_program_pages_cost_constant_queries(client, table):
    """The program's pages and API read every community in a fixed number of queries, however many there are."""
    from commonground.communities.tests.factories import CommunityFactory
    from commonground.program.services import progress_refresh_all

    paths = ["/program/", "/program/communities/?sort=-step2", "/api/v1/program/statistics/",
             "/api/v1/program/communities/?sort=state"]  # fmt: skip
    client.force_login(table.facilitator)

    def fetch():
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
        return response

    progress_refresh_all()
    few = count_queries(fetch)
    for index in range(12):
        community = CommunityFactory(state=["TX", "OR", "NC", "KS"][index % 4])
        Membership.objects.create(community=community, organization=table.public_org)
    grow(table, 10)
    progress_refresh_all()
    assert count_queries(fetch) == few == 50
