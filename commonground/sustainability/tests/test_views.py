import datetime

from rest_framework.test import APIClient

from commonground.core.testing import page_client
from commonground.sustainability import services
from commonground.sustainability.models import NeedsAnswer, NeedsAssessment


def test_a_cochair_opens_an_assessment_and_an_admin_answers_through_the_pages(table):
    response = page_client(table.cochair).post(
        "/c/riverbend/needs/new/",
        {"title": "2027 needs", "opens_on": "2026-01-01", "closes_on": "2099-01-01"},
    )
    assessment = NeedsAssessment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/needs/{assessment.pk}/items/"
    first, second = list(assessment.items.filter(mission_area=assessment.items.first().mission_area)[:2])
    admin = page_client(table.admin)
    overview = admin.get(f"/needs/{assessment.pk}/answer/")
    assert overview.status_code == 200 and not any(area.done for area, _url in overview.context["areas"])
    area_url = f"/needs/{assessment.pk}/answer/{first.mission_area}/?organization={table.private_org.pk}"
    form = admin.get(area_url)
    in_area = assessment.items.filter(mission_area=first.mission_area).count()
    assert (
        form.status_code == 200
        and len(list(form.context["form"].rows())) == in_area < assessment.items.count()
    )
    response = admin.post(
        area_url,
        {"organization": table.private_org.pk, "tlp": "TLP:AMBER", f"item_{first.pk}_level": "2",
         f"item_{first.pk}_importance": "5", f"item_{first.pk}_poete": "equipment", f"item_{second.pk}_level": "4"},
    )  # fmt: skip
    assert response.status_code == 200 and f"item_{second.pk}_level" in response.context["form"].errors
    assert not NeedsAnswer.objects.exists()  # all or none
    response = admin.post(
        area_url,
        {"organization": table.private_org.pk, "tlp": "TLP:AMBER", f"item_{first.pk}_level": "2",
         f"item_{first.pk}_importance": "5", f"item_{first.pk}_poete": "equipment"},
    )  # fmt: skip
    assert response.status_code == 302 and "/answer/" in response["Location"]
    assert NeedsAnswer.objects.get().level == 2 and NeedsAnswer.objects.get().draft
    assert admin.get(f"/needs/{assessment.pk}/").context["profile"].ranked == []  # a draft counts nowhere
    others = {item.mission_area: item for item in assessment.items.exclude(mission_area=first.mission_area)}
    services.needs_answers_save(
        actor=table.admin, assessment=assessment, organization=table.private_org, draft=True,
        answers=[{"item": item.pk, "level": 5, "importance": 1} for item in others.values()],
    )  # fmt: skip
    response = admin.post(f"/needs/{assessment.pk}/answer/", {"organization": table.private_org.pk})
    assert response.status_code == 302 and not NeedsAnswer.objects.filter(draft=True).exists()
    mine = admin.get(f"/needs/{assessment.pk}/")
    assert [n.item for n in mine.context["profile"].ranked] == [first]
    theirs = page_client(table.other_admin).get(f"/needs/{assessment.pk}/")
    assert theirs.context["profile"].ranked == [] and theirs.context["profile"].answering_organizations == 0


def test_the_api_takes_an_organizations_answers_and_gives_the_profile(table):
    assessment = services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    item = assessment.items.first()
    api = APIClient()
    api.force_authenticate(table.admin)
    response = api.post(
        f"/api/v1/needs-assessments/{assessment.pk}/answers/",
        {"organization": table.private_org.pk, "answers": [{"item": item.pk, "level": 1, "importance": 5}]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    bad = api.post(
        f"/api/v1/needs-assessments/{assessment.pk}/answers/",
        {"organization": table.private_org.pk, "answers": [{"item": item.pk, "level": 9, "importance": 5}]},
        format="json",
    )
    assert bad.status_code == 400
    profile = api.get(f"/api/v1/needs-assessments/{assessment.pk}/profile/").json()
    assert profile["ranked"][0]["item"] == item.pk and profile["ranked"][0]["score"] == 100.0
