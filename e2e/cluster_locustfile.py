"""The load test's mix, through the proxy of a cluster, plus writes the cluster test can count: each user posts
situation reports with a unique text and notes every one answered 2xx (the write the client was told is
saved) in the file CLUSTER_WRITES names, one text a line."""

import os
import random
import uuid

from locust import task

from e2e.locustfile import Member

WRITES = os.environ.get("CLUSTER_WRITES", "")
RUN = os.environ.get("CLUSTER_RUN", "run")


class ClusterMember(Member):
    @task(3)
    def sitrep(self):
        if not self.incident_ids:
            return
        text = f"cluster-{RUN}-{uuid.uuid4().hex}"
        response = self.client.post(
            "/api/v1/timeline-entries/",
            json={"incident": random.choice(self.incident_ids), "text": text, "tlp": "TLP:GREEN"},
            headers=self.api,
            name="api sitrep (counted write)",
        )
        if 200 <= response.status_code < 300:
            with open(WRITES, "a") as stream:
                stream.write(text + "\n")
