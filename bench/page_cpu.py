"""Each main page's server CPU, in process, beside the trivial view's (issue 17: "within 10x of the trivial view").

Usage: python -m bench.page_cpu [SAMPLES] [--profile NAME] [--only TEXT,...]
Loads the demo into a fresh installation on the database DATABASE_URL names (SQLite when unset), signs in as
each of two roles (a member, a co-chair) without a password, and serves every page through Django's test client
(the whole middleware stack, the production settings' DEBUG off), interleaved with /healthz so that both see the
same noise. CPU is `time.process_time()` of this process: on PostgreSQL the database server's own is not in it.
Beside the main pages named here, every page the dashboard and My work link to (one page of each URL pattern,
as each role sees them) is measured too, so that a page nobody named is not left out of the goal.
Prints one JSON line: for each role and page, the median CPU and wall milliseconds; and the CPU of one sign-in
with the password (Argon2), for information. With --profile NAME, prints that page's cProfile instead; with
--only, measures only the pages whose name holds one of the texts (and the trivial view), to work on a few.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import re
import statistics
import sys
import time

from .common import setup_django

SETTINGS = {  # as production serves, except the host name the test client sends
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "ALLOWED_HOSTS": "testserver",
    "THROTTLE_USER": "1000000/min",
    "THROTTLE_AUTH": "1000000/min",
    "LOG_LEVEL": "ERROR",
}

ROLES = {"member": "member", "co-chair": "cochair.public"}
TRIVIAL = "trivial view (/healthz)"
NEAR = "near=42.7300,-84.5500&radius_km=10"


def pages(incident: int) -> dict[str, tuple[str, dict]]:
    """The main pages: name -> (path, extra headers)."""
    return {
        "my work": ("/my-work/", {}),
        "dashboard": ("/c/riverbend/", {}),
        "resources page ?q=generator": ("/c/riverbend/resources/?q=generator", {}),
        "resources page, distance search": (f"/c/riverbend/resources/?{NEAR}", {}),
        "distance search API": (f"/api/v1/resources/?community=riverbend&{NEAR}&availability=available", {}),
        "organizations page ?q=fire": ("/c/riverbend/organizations/?q=fire", {}),
        "coverage": ("/c/riverbend/coverage/", {}),
        "incident board": (f"/incidents/{incident}/", {}),
        "incident board poll (htmx)": (f"/incidents/{incident}/live/", {"HTTP_HX_REQUEST": "true"}),
        "people": ("/c/riverbend/people/", {}),
    }


# Links that are not pages of the product: files, signing out, the language switch, the scripts' catalogue.
NOT_PAGES = ("/static/", "/media/", "/accounts/logout", "/i18n/", "/jsi18n/", "/healthz")


def linked_pages(client, named: dict[str, tuple[str, dict]]) -> dict[str, tuple[str, dict]]:
    """Every HTML page the client's user may open within two clicks of the dashboard and My work, one of each URL
    pattern (one meeting, one task) and none already named, keyed "page <path>"."""
    from django.urls import Resolver404, resolve

    seen = {resolve(path.split("?")[0]).route for path, _ in named.values()}
    found, frontier = {}, ["/c/riverbend/", "/my-work/"]
    for _ in range(2):
        following = []
        for start in frontier:
            html = client.get(start).content.decode()
            for path in dict.fromkeys(re.findall(r'href="(/[^"#?]*)"', html)):
                try:
                    route = None if path.startswith(NOT_PAGES) else resolve(path).route
                except Resolver404:
                    route = None
                if route is None or route in seen:
                    continue
                seen.add(route)
                response = client.get(path)
                if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                    found[f"page {path}"] = (path, {})
                    following.append(path)
        frontier = following
    return found


def serve(client, path: str, headers: dict) -> tuple[float, float]:
    """One request through the whole stack; its CPU and wall seconds."""
    cpu, wall = time.process_time(), time.perf_counter()
    response = client.get(path, **headers)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    else:
        response.content  # noqa: B018 - rendered already; read as a server would
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    return cpu, wall


def sign_in_cpu(username: str, samples: int) -> float:
    """The median CPU milliseconds of one sign-in through the form with the password (Argon2)."""
    from django.test import Client

    from commonground.demo.demo_data import PASSWORD

    times = []
    for _ in range(samples):
        client = Client()
        start = time.process_time()
        response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        times.append(time.process_time() - start)
        if response.status_code != 302:
            raise RuntimeError(f"sign-in as {username}: {response.status_code}")
    return statistics.median(times) * 1000


def main() -> None:
    arguments = sys.argv[1:]
    profile = arguments[arguments.index("--profile") + 1] if "--profile" in arguments else None
    samples = int(arguments[0]) if arguments and arguments[0].isdigit() else 30
    only = arguments[arguments.index("--only") + 1].split(",") if "--only" in arguments else None
    os.environ.update(SETTINGS)
    setup_django(demo=True)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from commonground.demo import demo_data
    from commonground.incidents.models import Incident

    if not demo_data.demo_exists():  # CI's installation with the demo, copied (bench.common.DEMO)
        demo_data.load_demo()
    incident = Incident.objects.filter(community__slug="riverbend").open().order_by("pk").first()
    result: dict = {"engine": connection.vendor, "samples": samples, "roles": {}}
    for role, username in ROLES.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        chosen = {**pages(incident.pk), **linked_pages(client, pages(incident.pk))}
        if only:
            chosen = {name: page for name, page in chosen.items() if any(text in name for text in only)}
        chosen[TRIVIAL] = ("/healthz", {})
        for path, headers in chosen.values():  # warm up: templates, URL resolvers, connections
            serve(client, path, headers), serve(client, path, headers)
        if profile:
            path, headers = chosen.get(profile) or (profile, {})
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(samples):
                serve(client, path, headers)
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(60)
            return
        figures: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in chosen}
        for _ in range(samples):
            for name, (path, headers) in chosen.items():
                cpu, wall = serve(client, path, headers)
                figures[name][0].append(cpu), figures[name][1].append(wall)
        result["roles"][role] = {
            name: {"cpu_ms": statistics.median(cpu) * 1000, "wall_ms": statistics.median(wall) * 1000}
            for name, (cpu, wall) in figures.items()
        }
    result["sign_in_cpu_ms"] = sign_in_cpu("member", max(3, samples // 10))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
