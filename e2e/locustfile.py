"""A realistic mix for the load test: dashboards, lists, search, edits, import dry runs, and an incident's board
watched by everyone at the table (its live part polled, as htmx does every few seconds).

Each user signs in once, in `on_start`, and keeps its session, as people do; the API calls use one token per
account, fetched by the first user of that account (an integration keeps its token; it does not sign in with a
password before every session).

`LoadMember` is what `e2e.load` runs: once the last of LOAD_USERS users has signed in, every user asks for the
trivial view alone for LOAD_BASELINE_SECONDS (the baseline: the same users, sessions and think time), then
runs the mix for LOAD_MIX_SECONDS, and locust stops. Every request's name, start and duration, and the two
moments, are written to the file LOAD_RECORD names (JSON) when locust quits."""

import itertools
import json
import os
import random
import re
import time

import gevent
from gevent.lock import Semaphore
from locust import HttpUser, between, events, task

ACCOUNTS = itertools.cycle(["cochair.public", "cochair.private", "orgadmin", "member"])
PASSWORD = "commonground-demo"
SEARCHES = ["fire", "health", "logistics", "riverbend", "grocers", "transit", "water"]
CSV = b"name,sector,category,employees\nLoad Test Hardware,private,small_employer,12\nLoad Test Clinic,nonprofit,hospital_health_care,40\n"
THINK_TIME = between(0.2, 1.0)
# The requests of `on_start`: the ramp, not the steady state.
ON_START = frozenset({"login page", "log in", "api token", "api organizations", "api incidents"})
TRIVIAL = "trivial view"

TOKENS: dict[str, str] = {}
TOKEN_LOCK = Semaphore()
RECORDS: list[tuple[str, float, float, bool]] = []
MOMENTS: dict[str, float] = {}


@events.request.add_listener
def record(name, response_time, exception=None, start_time=None, **_):
    if os.environ.get("LOAD_RECORD") and start_time is not None:
        RECORDS.append((name, start_time, response_time, exception is None))


@events.quitting.add_listener
def write_records(**_):
    if path := os.environ.get("LOAD_RECORD"):
        with open(path, "w") as stream:
            json.dump({**MOMENTS, "records": RECORDS}, stream)


def log_in(user: HttpUser) -> None:
    """Sign in with the password through the form, once; the session cookie carries the rest."""
    login = user.client.get("/accounts/login/", name="login page")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    user.client.post(
        "/accounts/login/",
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": user.host + "/accounts/login/"},
        name="log in",
    )


def api_token(user: HttpUser) -> str:
    """The account's API token: fetched once per account, shared by every user signed in as it."""
    with TOKEN_LOCK:
        if user.username not in TOKENS:
            response = user.client.post(
                "/api/v1/auth/token/",
                json={"username": user.username, "password": PASSWORD},
                name="api token",
            )
            TOKENS[user.username] = response.json()["token"]
        return TOKENS[user.username]


class Member(HttpUser):
    wait_time = THINK_TIME

    def on_start(self):
        self.username = next(ACCOUNTS)
        self.leader = self.username.startswith("cochair")
        log_in(self)
        self.api = {"Authorization": f"Token {api_token(self)}"}
        organizations = self.client.get(
            "/api/v1/organizations/?community=riverbend&page_size=50",
            headers=self.api,
            name="api organizations",
        )
        self.organization_ids = [o["id"] for o in organizations.json()["results"]]
        incidents = self.client.get(
            "/api/v1/incidents/?community=riverbend&is_open=true", headers=self.api, name="api incidents"
        )
        self.incident_ids = [i["id"] for i in incidents.json()["results"]]

    @task(4)
    def incident_board_poll(self):
        if self.incident_ids:
            self.client.get(
                f"/incidents/{random.choice(self.incident_ids)}/live/",
                headers={"HX-Request": "true"},
                name="incident board poll",
            )

    @task(1)
    def incident_board(self):
        if self.incident_ids:
            self.client.get(f"/incidents/{random.choice(self.incident_ids)}/", name="incident board")

    @task(1)
    def incident_plan_api(self):
        if self.incident_ids:
            self.client.get(
                f"/api/v1/incidents/{random.choice(self.incident_ids)}/plan/",
                headers=self.api,
                name="api incident plan",
            )

    @task(3)
    def dashboard(self):
        self.client.get("/c/riverbend/", name="dashboard")

    @task(3)
    def organization_page_search(self):
        self.client.get(
            f"/c/riverbend/organizations/?q={random.choice(SEARCHES)}", name="organizations page search"
        )

    @task(3)
    def api_search(self):
        self.client.get(
            f"/api/v1/organizations/?community=riverbend&q={random.choice(SEARCHES)}",
            headers=self.api,
            name="api organization search",
        )

    @task(3)
    def resource_distance_search(self):
        latitude, longitude = 42.73 + random.uniform(-0.05, 0.05), -84.55 + random.uniform(-0.05, 0.05)
        self.client.get(
            f"/api/v1/resources/?community=riverbend&near={latitude:.4f},{longitude:.4f}&radius_km=10"
            f"&kind={random.choice(['equipment', 'facility', 'supply'])}&availability=available",
            headers=self.api,
            name="api resource distance search",
        )

    @task(2)
    def resource_page(self):
        self.client.get(
            f"/c/riverbend/resources/?q={random.choice(['generator', 'bus', 'shelter', 'truck'])}",
            name="resources page search",
        )

    @task(2)
    def people(self):
        self.client.get("/api/v1/people/?community=riverbend", headers=self.api, name="api people")

    @task(1)
    def coverage(self):
        self.client.get("/c/riverbend/coverage/", name="coverage")

    @task(2)
    def edit(self):
        if not self.leader:
            return
        organization = random.choice(self.organization_ids)
        self.client.patch(
            f"/api/v1/organizations/{organization}/",
            json={"employees": random.randint(1, 5000)},
            headers=self.api,
            name="api edit organization",
        )

    @task(1)
    def import_dry_run(self):
        if not self.leader:
            return
        page = self.client.get("/c/riverbend/import/", name="import page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/c/riverbend/import/",
            data={"kind": "organizations", "csrfmiddlewaretoken": token},
            files={"file": ("load.csv", CSV, "text/csv")},
            headers={"Referer": self.host + "/c/riverbend/import/"},
            name="import dry run",
        )


class LoadMember(Member):
    """The mix behind a baseline: the trivial view until LOAD_BASELINE_SECONDS after the last sign-in."""

    def on_start(self):
        super().on_start()
        self.tasks = [LoadMember.trivial]  # this user's own list, until the baseline is over
        MOMENTS["signed_in"] = MOMENTS.get("signed_in", 0) + 1
        if MOMENTS["signed_in"] == int(os.environ["LOAD_USERS"]):
            MOMENTS["ramp_end"] = time.time()
            MOMENTS["mix_start"] = MOMENTS["ramp_end"] + float(os.environ["LOAD_BASELINE_SECONDS"])
            gevent.spawn_later(
                float(os.environ["LOAD_BASELINE_SECONDS"]) + float(os.environ["LOAD_MIX_SECONDS"]),
                self.environment.runner.quit,
            )

    def trivial(self):
        if "mix_start" in MOMENTS and time.time() >= MOMENTS["mix_start"]:
            del self.tasks  # the class's: the mix
            return
        self.client.get("/healthz", name=TRIVIAL)
