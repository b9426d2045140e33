import datetime

from django.utils import timezone

from commonground.core.testing import api_client
from commonground.risks.models import Hazard
from commonground.sustainability.models import Meeting, Task

PAST = (timezone.now() - datetime.timedelta(days=10)).isoformat()
DUE = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()


def test_an_exercise_and_its_after_action_report_through_the_api(table):
    api = api_client(table.cochair)
    hazard = Hazard.objects.filter(community__isnull=True).first()
    response = api.post("/api/v1/meetings/", {
        "community": "riverbend", "kind": "tabletop", "title": "Cyber tabletop", "starts_at": PAST,
        "scenario": "Ransomware at the water utility", "scenario_hazards": [hazard.pk],
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = api.post(f"/api/v1/meetings/{pk}/attendance/", {"attendance": [
        {"organization": table.public_org.pk, "people": 3}, {"organization": table.private_org.pk},
    ]}, format="json")  # fmt: skip
    assert response.status_code == 200 and len(response.json()["attendance"]) == 2
    objective = api.post(f"/api/v1/meetings/{pk}/objectives/",
                         {"text": "Keep water flowing", "capability": "Infrastructure Systems"}, format="json")  # fmt: skip
    assert objective.status_code == 201, objective.json()
    observation = api.post(f"/api/v1/meetings/{pk}/observations/", {
        "kind": "improvement", "objective": objective.json()["id"], "text": "No offline backups of SCADA settings",
    }, format="json")  # fmt: skip
    assert observation.status_code == 201, observation.json()
    action = api.post(f"/api/v1/meetings/{pk}/corrective-actions/", {
        "observation": observation.json()["id"], "title": "Keep offline SCADA backups",
        "owner_organization": table.public_org.pk, "due_on": DUE,
    }, format="json")  # fmt: skip
    assert action.status_code == 201, action.json()
    task = Task.objects.get(pk=action.json()["id"])
    detail = api_client(table.member).get(f"/api/v1/meetings/{pk}/").json()
    assert detail["observations"][0]["corrective_actions"] == [task.pk]
    assert detail["improvement_plan"] == task.goal_id


def test_bad_input_is_a_400_with_field_messages_and_changes_nothing(table):
    api = api_client(table.cochair)
    response = api.post("/api/v1/meetings/", {"community": "riverbend", "kind": "meeting", "title": "Q",
                                              "starts_at": PAST, "scenario": "A flood"}, format="json")  # fmt: skip
    assert response.status_code == 400 and "scenario" in response.json()
    response = api.post("/api/v1/meetings/", {"community": "riverbend", "kind": "party", "starts_at": "soon"},
                        format="json")  # fmt: skip
    assert response.status_code == 400 and {"kind", "title", "starts_at"} <= set(response.json())
    assert not Meeting.objects.exists()
    meeting = api.post("/api/v1/meetings/", {"community": "riverbend", "kind": "meeting", "title": "Q",
                                             "starts_at": PAST}, format="json").json()  # fmt: skip
    twice = {"attendance": [{"organization": table.public_org.pk}, {"organization": table.public_org.pk}]}
    assert api.post(f"/api/v1/meetings/{meeting['id']}/attendance/", twice, format="json").status_code == 400
    outsider = {"attendance": [{"organization": table.outside_org.pk}]}
    assert (
        api.post(f"/api/v1/meetings/{meeting['id']}/attendance/", outsider, format="json").status_code == 400
    )
    report = api.post(f"/api/v1/meetings/{meeting['id']}/objectives/", {"text": "X"}, format="json")
    assert report.status_code == 400  # a plain meeting has no objectives
    assert not Meeting.objects.get().attendance.exists()


def test_members_read_but_do_not_write_and_outsiders_do_not_find_it(table):
    meeting = api_client(table.cochair).post("/api/v1/meetings/", {
        "community": "riverbend", "kind": "meeting", "title": "Quarterly", "starts_at": PAST,
    }, format="json").json()  # fmt: skip
    member = api_client(table.member)
    assert member.get(f"/api/v1/meetings/{meeting['id']}/").status_code == 200
    assert (
        member.patch(f"/api/v1/meetings/{meeting['id']}/", {"title": "Mine"}, format="json").status_code
        == 403
    )
    assert api_client(table.outsider).get(f"/api/v1/meetings/{meeting['id']}/").status_code == 404
    assert (
        api_client(table.member).get("/api/v1/meetings/?community=riverbend&kind=meeting").json()["count"]
        == 1
    )
