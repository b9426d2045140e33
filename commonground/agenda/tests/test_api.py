from commonground.agenda.models import Issue
from commonground.core.testing import api_client
from commonground.risks.models import Hazard

from .factories import SPECIFIC, propose


def test_propose_endorse_decide_and_discuss_through_the_api(table):
    winter = Hazard.objects.get(community=None, code="winter_weather")
    response = api_client(table.member).post(
        "/api/v1/issues/",
        {
            **SPECIFIC,
            "community": "riverbend",
            "organization": table.private_org.pk,
            "hazards": [winter.pk],
            "severity": 4,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    issue_id = response.json()["id"]
    assert response.json()["collective_impact"]["endorsing"] == 1
    endorsed = api_client(table.other_admin).post(
        f"/api/v1/issues/{issue_id}/endorse/",
        {"organization": table.public_org.pk, "severity": 2},
        format="json",
    )
    assert endorsed.status_code == 201
    adopted = api_client(table.cochair).post(
        f"/api/v1/issues/{issue_id}/decide/", {"decision": "adopt"}, format="json"
    )
    assert adopted.json()["status"] == "adopted" and adopted.json()["collective_impact"]["both_sectors"]
    assert (
        api_client(table.member)
        .post(f"/api/v1/issues/{issue_id}/comments/", {"body": "Thanks"}, format="json")
        .status_code
        == 201
    )
    assert [
        c["body"] for c in api_client(table.cochair).get(f"/api/v1/issues/{issue_id}/comments/").json()
    ] == ["Thanks"]
    assert len(api_client(table.member).get(f"/api/v1/issues/{issue_id}/endorsements/").json()) == 2


def test_a_vague_proposal_is_a_400_naming_what_to_add(table):
    response = api_client(table.member).post(
        "/api/v1/issues/",
        {"community": "riverbend", "organization": table.private_org.pk, "title": "Be ready", "description": "x",
         "mission_area": "response", "outcome": "Better."},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and {"hazards", "description", "outcome"} <= set(response.json())
    assert not Issue.objects.exists()


def test_the_list_ranks_by_collective_impact(table):
    narrow = propose(table, title="Narrow")
    broad = propose(table, title="Broad", severity=1)
    from commonground.agenda import services

    services.endorsement_save(actor=table.other_admin, issue=broad, organization=table.public_org, severity=1)
    titles = [
        i["title"]
        for i in api_client(table.member).get("/api/v1/issues/?community=riverbend").json()["results"]
    ]
    assert titles == ["Broad", "Narrow"] and narrow.pk


def test_a_vote_through_the_api(table):
    from commonground.agenda import services

    first, second = propose(table, title="Fuel"), propose(table, title="Cooling")
    for issue in (first, second):
        services.issue_decide(actor=table.cochair, issue=issue, decision="adopt")
    vote = api_client(table.cochair).post(
        "/api/v1/issue-votes/", {"community": "riverbend", "title": "Order", "kind": "ranked", "issues": [first.pk, second.pk]},
        format="json",
    )  # fmt: skip
    assert vote.status_code == 201, vote.json()
    vote_id = vote.json()["id"]
    ballot = api_client(table.admin).post(
        f"/api/v1/issue-votes/{vote_id}/ballot/", {"organization": table.private_org.pk, "choices": {str(second.pk): 1, str(first.pk): 2}},
        format="json",
    )  # fmt: skip
    assert ballot.status_code == 200, ballot.json()
    bad = api_client(table.admin).post(
        f"/api/v1/issue-votes/{vote_id}/ballot/", {"organization": table.private_org.pk, "choices": {str(first.pk): 3}},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 400
    results = api_client(table.cochair).post(f"/api/v1/issue-votes/{vote_id}/close/").json()
    assert [r["issue"] for r in results] == [second.pk, first.pk]
