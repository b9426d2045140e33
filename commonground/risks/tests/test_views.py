from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.risks import services
from commonground.risks.models import CriticalFunction, Hazard, HazardAssessment

from .factories import AssessmentFactory


def tornado():
    return Hazard.objects.get(community=None, code="tornado")


FORM = {"likelihood": "4", "impact_life_safety": "3", "impact_operations": "5", "impact_property": "2",
        "vulnerability": "4", "preparedness": "2", "assessed_on": "2026-11-01", "tlp": "TLP:AMBER"}  # fmt: skip


def test_an_admin_lists_a_critical_function_and_assesses_a_hazard_through_the_pages(table):
    client = page_client(table.admin)
    response = client.post(
        "/c/riverbend/critical-functions/new/",
        {"organization": table.private_org.pk, "name": "Cold-chain warehouse", "serves_community": "on",
         "max_downtime_hours": "12", "tlp": "TLP:AMBER"},
    )  # fmt: skip
    function = CriticalFunction.objects.get()
    assert response.status_code == 302 and function.serves_community
    form = client.get(f"/c/riverbend/assessments/new/?hazard={tornado().pk}")
    assert form.context["form"].initial["hazard"] == tornado().pk
    response = client.post(
        "/c/riverbend/assessments/new/",
        {
            **FORM,
            "organization": table.private_org.pk,
            "hazard": tornado().pk,
            "critical_functions": [function.pk],
        },
    )
    assessment = HazardAssessment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/c/riverbend/hazards/{tornado().pk}/"
    assert assessment.risk == 20 and list(assessment.critical_functions.all()) == [function]
    page = client.get(response["Location"]).content.decode()
    assert "Great Lakes Logistics" in page and "TLP:AMBER" in page


def test_a_bad_assessment_shows_field_errors_and_saves_nothing(table):
    response = page_client(table.admin).post(
        "/c/riverbend/assessments/new/",
        {**FORM, "likelihood": "7", "organization": table.private_org.pk, "hazard": tornado().pk},
    )
    assert response.status_code == 200 and "likelihood" in response.context["form"].errors
    AssessmentFactory(community=table.community, organization=table.private_org)
    again = page_client(table.admin).post(
        "/c/riverbend/assessments/new/",
        {**FORM, "organization": table.private_org.pk, "hazard": tornado().pk},
    )
    assert again.status_code == 200 and "already assessed" in str(again.context["form"].errors["hazard"])
    assert HazardAssessment.objects.count() == 1


def test_an_admin_may_only_pick_their_own_organization(table):
    response = page_client(table.admin).post(
        "/c/riverbend/assessments/new/", {**FORM, "organization": table.public_org.pk, "hazard": tornado().pk}
    )
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert not HazardAssessment.objects.exists()


def test_the_profile_page_shows_the_heat_map_and_leaves_out_what_rests_on_one_organization(table):
    AssessmentFactory(
        community=table.community, organization=table.public_org, likelihood=5, impact_operations=5
    )
    member = page_client(table.member).get("/c/riverbend/risk-profile/")
    assert member.context["profile"].ranked == [] and member.context["tlp_marking"] == TLP.GREEN
    assert 'data-likelihood="5" data-impact="5"' in member.content.decode()
    cochair = page_client(table.cochair).get("/c/riverbend/risk-profile/")
    assert cochair.context["tlp_marking"] == TLP.AMBER
    cell = next(c for row in cochair.context["heat_map"] for c in row if (c.likelihood, c.impact) == (5, 5))
    assert [r.hazard.code for r in cell.hazards] == ["tornado"]
    printable = page_client(table.cochair).get("/c/riverbend/risk-profile/print/").content.decode()
    assert printable.count("TLP:AMBER") >= 2 and "Tornado" in printable  # marked at the head and the foot


def test_the_hazard_page_drills_down_to_the_assessments_the_reader_may_see(table):
    AssessmentFactory(community=table.community, organization=table.public_org, tlp=TLP.GREEN)
    AssessmentFactory(community=table.community, organization=table.private_org, tlp=TLP.AMBER_STRICT)
    page = page_client(table.other_admin).get(f"/c/riverbend/hazards/{tornado().pk}/")
    assert [a.organization for a in page.context["page_obj"]] == [table.public_org]
    # The private organization's AMBER+STRICT assessment is one organization's: left out of the figures.
    assert page.context["risk"].organizations == 1 and page.context["risk"].by_sector["private"] == 0


def test_the_assessment_export_applies_tlp(table):
    AssessmentFactory(community=table.community, organization=table.private_org)
    mine = page_client(table.member).get("/c/riverbend/export/assessments.csv")
    assert mine["X-TLP"] == TLP.AMBER and "Great Lakes Logistics" in mine.content.decode("utf-8-sig")
    theirs = page_client(table.other_admin).get("/c/riverbend/export/assessments.csv")
    assert theirs["X-TLP"] == TLP.GREEN and "Great Lakes Logistics" not in theirs.content.decode("utf-8-sig")
    profile = page_client(table.other_admin).get("/c/riverbend/export/risk_profile.xlsx")
    assert profile.status_code == 200 and profile["X-TLP"] == TLP.GREEN


def test_a_function_is_edited_and_removed_by_its_admin_only(table):
    function = services.function_create(
        actor=table.admin, community=table.community, organization=table.private_org, name="Payroll"
    )
    assert page_client(table.other_admin).get(f"/critical-functions/{function.pk}/edit/").status_code == 404
    client = page_client(table.admin)
    response = client.post(
        f"/critical-functions/{function.pk}/edit/", {"name": "Payroll run", "tlp": "TLP:GREEN"}
    )
    assert response.status_code == 302
    function.refresh_from_db()
    assert (function.name, function.tlp) == ("Payroll run", TLP.GREEN)
    assert (
        page_client(table.other_admin).post(f"/critical-functions/{function.pk}/delete/").status_code == 403
    )
    assert client.post(f"/critical-functions/{function.pk}/delete/").status_code == 302
    assert not CriticalFunction.objects.exists()


def test_the_assessment_form_page_reads_only_each_choices_id_and_name(table):
    """Drawing the form, its selects and checkboxes need each record's id and name; a posted form, whole records."""
    choices = ("organization", "hazard", "critical_functions", "recipient_organizations")
    form = page_client(table.cochair).get("/c/riverbend/assessments/new/").context["form"]
    for name in choices:
        assert set(form.fields[name].queryset.query.deferred_loading[0]) == {"id", "name"}, name
    posted = (
        page_client(table.cochair).post("/c/riverbend/assessments/new/", {"likelihood": "9"}).context["form"]
    )
    assert posted.errors
    for name in choices:
        assert not posted.fields[name].queryset.query.deferred_loading[0], name


def test_the_assessment_lists_read_only_what_their_rows_show(table):
    tornado = Hazard.objects.get(community=None, code="tornado")
    AssessmentFactory(
        community=table.community, organization=table.public_org, hazard=tornado, notes="Sirens"
    )
    client = page_client(table.cochair)
    listed = client.get("/c/riverbend/assessments/").context["page_obj"][0]
    on_hazard = client.get(f"/c/riverbend/hazards/{tornado.pk}/").context["page_obj"][0]
    for row in (listed, on_hazard):
        assert "notes" in row.get_deferred_fields() and "description" in row.hazard.get_deferred_fields()


def test_hazard_pages_served_in_turn_show_each_reader_what_they_see_with_nothing_kept(table):
    """The hazard, its assessments and the issues naming it are read by SQL kept for (reader, community, hazard)."""
    from commonground.agenda.models import Issue
    from commonground.core.counting import forget_compiled
    from commonground.core.kept_rows import forget_kept_rows

    AssessmentFactory(community=table.community, organization=table.public_org, tlp=TLP.GREEN)
    AssessmentFactory(community=table.community, organization=table.private_org, tlp=TLP.AMBER_STRICT)
    strict = Issue.objects.create(
        community=table.community, organization=table.private_org, title="HAZISSUE-6611", description="d",
        mission_area="response", outcome="o", tlp=TLP.AMBER_STRICT,
    )  # fmt: skip
    strict.hazards.add(tornado())
    own = Hazard.objects.create(community=table.community, name="Levee breach HAZOWN-6612", kind="natural")
    paths = [
        f"/c/riverbend/hazards/{tornado().pk}/",
        f"/c/riverbend/hazards/{own.pk}/",
        "/c/riverbend/hazards/0/",
    ]
    readers = ("cochair", "admin", "member", "other_admin", "facilitator")

    def seen(role, path):
        response = page_client(table.user(role)).get(path)
        if response.status_code != 200:
            return response.status_code
        context = response.context
        return (
            context["hazard"].name,
            [(a.organization.name, a.tlp) for a in context["page_obj"]],
            [issue.title for issue in context["issues"]],
        )

    fresh = {}
    for role in readers:
        for path in paths:
            forget_kept_rows(), forget_compiled()
            fresh[role, path] = seen(role, path)
    assert "HAZISSUE-6611" in str(fresh["admin", paths[0]]) and "HAZISSUE-6611" not in str(
        fresh["other_admin", paths[0]]
    )
    assert (
        fresh["admin", paths[0]][1] != fresh["other_admin", paths[0]][1] and fresh["member", paths[2]] == 404
    )
    forget_kept_rows(), forget_compiled()
    for visit in (*fresh, *reversed(list(fresh))):
        assert seen(*visit) == fresh[visit], visit
    assert page_client(table.outsider).get(paths[1]).status_code in (403, 404)
