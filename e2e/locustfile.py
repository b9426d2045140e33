"""A realistic mix for the load test: dashboards, lists, search, edits, import dry runs, and an incident's board
watched by everyone at the table (its live part polled, as htmx does every few seconds)."""

import itertools
import random
import re

from locust import HttpUser, between, task

ACCOUNTS = itertools.cycle(["cochair.public", "cochair.private", "orgadmin", "member"])
PASSWORD = "commonground-demo"
SEARCHES = ["fire", "health", "logistics", "riverbend", "grocers", "transit", "water"]
CSV = b"name,sector,category,employees\nLoad Test Hardware,private,small_employer,12\nLoad Test Clinic,nonprofit,hospital_health_care,40\n"


class Member(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.username = next(ACCOUNTS)
        self.leader = self.username.startswith("cochair")
        login = self.client.get("/accounts/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="log in",
        )
        response = self.client.post(
            "/api/v1/auth/token/", json={"username": self.username, "password": PASSWORD}, name="api token"
        )
        self.api = {"Authorization": f"Token {response.json()['token']}"}
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
