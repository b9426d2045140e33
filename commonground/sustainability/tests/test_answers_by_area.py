"""The needs assessment answered one mission area at a time: drafts count nowhere and show to nobody else; the
whole is submitted once every area has an answer."""

import datetime

import lxml.html
import pytest
from django.core.exceptions import ValidationError

from commonground.core.audit import AuditEntry
from commonground.core.testing import api_client, page_client
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.sustainability import services
from commonground.sustainability.models import NeedsAnswer
from commonground.sustainability.selectors import area_progress


@pytest.fixture
def assessment(table):
    return services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )


def first_items(assessment, areas=None):
    """The first item of each mission area (of `areas` when given)."""
    firsts = {}
    for item in assessment.items.all():
        firsts.setdefault(item.mission_area, item)
    return [item for area, item in firsts.items() if areas is None or area in areas]


def answer(table, assessment, organization, items, *, draft, level=1, importance=5):
    """Answer as a co-chair, TLP:GREEN so that every member sees each answer once it is submitted."""
    services.needs_answers_save(
        actor=table.cochair, assessment=assessment, organization=organization, draft=draft, tlp=TLP.GREEN,
        answers=[{"item": item.pk, "level": level, "importance": importance} for item in items],
    )  # fmt: skip


def test_a_draft_area_is_not_in_the_results_page_nor_the_api(table, assessment):
    items = first_items(assessment)
    answer(table, assessment, table.public_org, items, draft=False, level=4, importance=5)
    answer(table, assessment, table.private_org, items[:2], draft=True, level=1, importance=5)
    for user in (table.cochair, table.admin, table.other_admin):
        page = page_client(user).get(f"/needs/{assessment.pk}/")
        assert page.context["profile"].answering_organizations == 1
        profile = api_client(user).get(f"/api/v1/needs-assessments/{assessment.pk}/profile/").json()
        assert {row["organizations"] for row in profile["items"] if row["item"] in {i.pk for i in items}} == {
            1
        }
        assert {row["level"] for row in profile["items"] if row["organizations"]} == {4.0}
    # The results page says one organization answered, and the step's figures leave the draft out.
    page = page_client(table.cochair).get(f"/needs/{assessment.pk}/")
    assert "1 organization has answered" in page.content.decode()


def test_a_draft_is_shown_to_its_organization_and_who_may_answer_for_it_only(table, assessment):
    item = first_items(assessment)[0]
    answer(table, assessment, table.private_org, [item], draft=True)
    url = f"/api/v1/needs-assessments/{assessment.pk}/answers/"
    seen = {role: api_client(getattr(table, role)).get(url).json() for role in ("admin", "member", "cochair")}
    assert all(rows and rows[0]["draft"] for rows in seen.values())
    assert api_client(table.other_admin).get(url).json() == []
    assert not NeedsAnswer.objects.visible_to(viewer_for(table.other_admin)).exists()
    answer(table, assessment, table.private_org, [item], draft=False)
    assert NeedsAnswer.objects.visible_to(viewer_for(table.other_admin)).exists()


def test_submit_refuses_with_the_missing_areas_listed_and_writes_nothing(table, assessment):
    items = first_items(assessment)
    answer(table, assessment, table.private_org, items[:2], draft=True)
    missing = {item.mission_area for item in items[2:]}
    before = list(NeedsAnswer.objects.values_list("pk", "draft", "updated"))
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refusal:
        services.needs_answers_submit(
            actor=table.admin, assessment=assessment, organization=table.private_org
        )
    assert set(refusal.value.message_dict) == missing

    response = page_client(table.admin).post(
        f"/needs/{assessment.pk}/answer/", {"organization": table.private_org.pk}
    )
    assert response.status_code == 200
    summary = lxml.html.fromstring(response.content.decode()).xpath("//*[@data-error-summary]")[0]
    links = {a.get("href") for a in summary.xpath(".//a")}
    assert links == {f"#id_{area}" for area in missing}
    page = lxml.html.fromstring(response.content.decode())
    assert all(page.xpath(f"//a[@id='id_{area}']") for area in missing)

    api = api_client(table.admin).post(
        f"/api/v1/needs-assessments/{assessment.pk}/submit/",
        {"organization": table.private_org.pk},
        format="json",
    )
    assert api.status_code == 400 and set(api.json()) == missing
    assert list(NeedsAnswer.objects.values_list("pk", "draft", "updated")) == before
    assert AuditEntry.objects.count() == entries


def test_submit_with_every_area_answered_counts_the_drafts(table, assessment):
    answer(table, assessment, table.private_org, first_items(assessment), draft=True)
    assert all(area.done for area in area_progress(assessment, list(NeedsAnswer.objects.all())))
    response = api_client(table.admin).post(
        f"/api/v1/needs-assessments/{assessment.pk}/submit/",
        {"organization": table.private_org.pk},
        format="json",
    )
    assert response.status_code == 200 and not any(row["draft"] for row in response.json())
    assert not NeedsAnswer.objects.filter(draft=True).exists()
    other = page_client(table.other_admin).get(f"/needs/{assessment.pk}/")
    assert other.context["profile"].answering_organizations == 1


def test_the_api_saves_a_draft_when_asked(table, assessment):
    item = first_items(assessment)[0]
    response = api_client(table.admin).post(
        f"/api/v1/needs-assessments/{assessment.pk}/answers/",
        {"organization": table.private_org.pk, "draft": True, "answers": [{"item": item.pk, "level": 1, "importance": 5}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201 and response.json()[0]["draft"] is True
    assert NeedsAnswer.objects.get().draft


def test_saving_an_area_goes_on_to_the_next_area_not_yet_answered(table, assessment):
    items = first_items(assessment)
    answer(table, assessment, table.private_org, items[1:2], draft=True)
    response = page_client(table.admin).post(
        f"/needs/{assessment.pk}/answer/{items[0].mission_area}/",
        {"organization": table.private_org.pk, "tlp": "TLP:AMBER", f"item_{items[0].pk}_level": "2",
         f"item_{items[0].pk}_importance": "4"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].startswith(f"/needs/{assessment.pk}/answer/{items[2].mission_area}/")
    assert page_client(table.admin).get(f"/needs/{assessment.pk}/answer/nowhere/").status_code == 404


def test_the_area_form_names_each_item_in_the_error_summary(table, assessment):
    item = first_items(assessment)[0]
    response = page_client(table.admin).post(
        f"/needs/{assessment.pk}/answer/{item.mission_area}/",
        {"organization": table.private_org.pk, "tlp": "TLP:AMBER", f"item_{item.pk}_level": "2"},
    )
    summary = lxml.html.fromstring(response.content.decode()).xpath("//*[@data-error-summary]")[0]
    [link] = summary.xpath(".//a")
    assert link.get("href") == f"#id_item_{item.pk}_level" and item.text in link.text_content()
    assert not NeedsAnswer.objects.exists()


def test_submitting_for_an_organization_says_nothing_of_the_answers_hidden_from_the_submitter(table):
    # The organization's admin answers two areas under TLP:AMBER+STRICT (co-chairs not named), and drafts the
    # rest: a co-chair submitting for it is told every area is missing, as if there were no answers at all.
    assessment = services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="Needs", closes_on=datetime.date(2099, 1, 1)
    )
    items = first_items(assessment)
    answer = [{"item": item.pk, "level": 2, "importance": 5} for item in items[:2]]
    services.needs_answers_save(
        actor=table.admin, assessment=assessment, organization=table.private_org, draft=False,
        tlp=TLP.AMBER_STRICT, answers=answer,
    )  # fmt: skip
    services.needs_answers_save(
        actor=table.admin, assessment=assessment, organization=table.private_org, draft=True,
        tlp=TLP.AMBER_STRICT, answers=[{"item": item.pk, "level": 2, "importance": 5} for item in items[2:]],
    )  # fmt: skip
    before = sorted(NeedsAnswer.objects.values_list("pk", "draft", "tlp"))
    with pytest.raises(ValidationError) as refused:
        services.needs_answers_submit(
            actor=table.cochair, assessment=assessment, organization=table.private_org
        )
    assert sorted(refused.value.message_dict) == sorted({item.mission_area for item in items})
    assert sorted(NeedsAnswer.objects.values_list("pk", "draft", "tlp")) == before
