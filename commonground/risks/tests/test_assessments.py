import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.risks import selectors, services
from commonground.risks.models import Hazard, HazardAssessment

SCORES = dict(likelihood=4, impact_life_safety=2, impact_operations=5, impact_property=3, vulnerability=4, preparedness=2)  # fmt: skip


def tornado():
    return Hazard.objects.get(community=None, code="tornado")


def assess(table, actor="admin", organization=None, hazard=None, **data):
    """Assess as a user of the table (by role name) or as `None`, the system."""
    return services.hazard_assessment_create(
        actor=getattr(table, actor) if isinstance(actor, str) else actor, community=table.community, organization=organization or table.private_org,
        hazard=hazard or tornado(), **{**SCORES, **data},
    )  # fmt: skip


def test_an_admin_assesses_a_hazard_for_their_organization_amber_by_default(table):
    function = services.function_create(
        actor=table.admin, community=table.community, organization=table.private_org,
        name="Cold-chain warehouse", serves_community=True, max_downtime_hours=12,
    )  # fmt: skip
    assessment = assess(table, critical_functions=[function])
    assert (assessment.tlp, assessment.impact, assessment.risk) == (TLP.AMBER, 5, 20)
    assert list(assessment.critical_functions.all()) == [function]
    assert AuditEntry.objects.filter(object_id=str(assessment.pk), action="create").exists()


@pytest.mark.parametrize("user, sees", [("admin", True), ("member", True), ("cochair", True), ("facilitator", True),
                                        ("other_admin", False), ("outsider", False)])  # fmt: skip
def test_an_amber_assessment_is_seen_by_its_organization_the_cochairs_and_facilitators(table, user, sees):
    assessment = assess(table)
    visible = selectors.hazard_assessment_list(viewer=viewer_for(getattr(table, user)))
    assert visible.filter(pk=assessment.pk).exists() is sees


def test_an_amber_strict_assessment_is_for_its_organization_and_those_it_names(table):
    assessment = assess(table, tlp=TLP.AMBER_STRICT)
    for user, sees in [("member", True), ("cochair", False), ("other_admin", False)]:
        assert (
            selectors.hazard_assessment_list(viewer=viewer_for(getattr(table, user)))
            .filter(pk=assessment.pk)
            .exists()
            is sees
        )
    services.hazard_assessment_update(
        actor=table.admin, assessment=assessment, data={"recipient_organizations": [table.public_org]}
    )
    assert (
        selectors.hazard_assessment_list(viewer=viewer_for(table.other_admin))
        .filter(pk=assessment.pk)
        .exists()
    )


@pytest.mark.parametrize("user", ["member", "other_admin", "outsider"])
def test_only_the_organizations_admin_cochairs_and_facilitators_assess_for_it(table, user):
    with pytest.raises(PermissionDenied):
        assess(table, actor=user)
    assert not HazardAssessment.objects.exists()


def test_a_cochair_enters_an_assessment_for_another_organization(table):
    assert assess(table, actor="cochair").organization == table.private_org


def test_an_organization_assesses_a_hazard_once(table):
    assess(table)
    with pytest.raises(ValidationError) as error:
        assess(table)
    assert "already assessed" in str(error.value.message_dict["hazard"])
    assert HazardAssessment.objects.count() == 1


@pytest.mark.parametrize(
    "field, value", [("likelihood", 0), ("likelihood", 6), ("impact_property", None), ("preparedness", 9)]
)
def test_scores_run_from_one_to_five(table, field, value):
    with pytest.raises(ValidationError) as error:
        assess(table, **{field: value})
    assert field in error.value.message_dict
    assert not HazardAssessment.objects.exists()


def test_another_communitys_hazard_and_another_organizations_functions_are_refused(table):
    elsewhere = services.hazard_create(
        actor=None, community=table.other_community, name="Lake seiche", kind="natural"
    )
    with pytest.raises(ValidationError) as error:
        assess(table, hazard=elsewhere)
    assert "hazard" in error.value.message_dict
    theirs = services.function_create(
        actor=None, community=table.community, organization=table.public_org, name="Dispatch"
    )
    with pytest.raises(ValidationError) as error:
        assess(table, critical_functions=[theirs])
    assert "critical_functions" in error.value.message_dict
    assert not HazardAssessment.objects.exists()


def test_an_organization_not_at_the_table_cannot_be_assessed_for(table):
    with pytest.raises(ValidationError) as error:
        assess(table, actor=None, organization=table.outside_org)
    assert "organization" in error.value.message_dict


def test_a_marking_that_would_hide_the_assessment_from_its_author_is_refused(table):
    assessment = assess(table, actor="cochair")
    with pytest.raises(ValidationError) as error:
        services.hazard_assessment_update(
            actor=table.cochair, assessment=assessment, data={"tlp": TLP.AMBER_STRICT}
        )
    assert "tlp" in error.value.message_dict
    assessment.refresh_from_db()
    assert assessment.tlp == TLP.AMBER


def test_update_and_delete_are_audited(table):
    assessment = assess(table)
    services.hazard_assessment_update(actor=table.admin, assessment=assessment, data={"likelihood": 5})
    entry = AuditEntry.objects.get(object_id=str(assessment.pk), action="update")
    assert entry.changes["likelihood"] == [4, 5]
    pk = assessment.pk
    services.hazard_assessment_delete(actor=table.admin, assessment=assessment)
    assert AuditEntry.objects.filter(object_id=str(pk), action="delete").exists()


def test_critical_function_names_are_unique_per_organization(table):
    services.function_create(
        actor=table.admin, community=table.community, organization=table.private_org, name="Payroll"
    )
    with pytest.raises(ValidationError) as error:
        services.function_create(
            actor=table.admin, community=table.community, organization=table.private_org, name=" Payroll "
        )
    assert "name" in error.value.message_dict
