import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.sustainability import selectors, services
from commonground.sustainability.choices import needs_template
from commonground.sustainability.models import NeedsAnswer

FAR = datetime.date(2099, 1, 1)


def open_assessment(table, **extra):
    return services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="Needs", closes_on=FAR, **extra
    )


def test_a_cochair_opens_an_assessment_with_the_templates_items_by_mission_area(table):
    assessment = open_assessment(table)
    items = list(assessment.items.all())
    assert len(items) == len(needs_template()) >= 20
    assert {i.mission_area for i in items} == {"planning", "mitigation", "response", "recovery"}
    assert AuditEntry.objects.filter(object_id=str(assessment.pk), action="create").exists()


@pytest.mark.parametrize("user", ["member", "admin", "other_admin", "outsider"])
def test_only_cochairs_open_one(table, user):
    with pytest.raises(PermissionDenied):
        services.needs_assessment_open(
            actor=getattr(table, user), community=table.community, title="N", closes_on=FAR
        )


def test_items_are_added_reworded_and_dropped(table):
    assessment = open_assessment(table)
    item = services.item_add(actor=table.cochair, assessment=assessment, mission_area="response",
                             text="We can run a family assistance centre.")  # fmt: skip
    assert item.position > assessment.items.exclude(pk=item.pk).order_by("-position").first().position
    services.item_update(actor=table.cochair, item=item, data={"text": "We can run a reunification centre."})
    item.refresh_from_db()
    assert item.text == "We can run a reunification centre."
    with pytest.raises(PermissionDenied):
        services.item_delete(actor=table.admin, item=item)
    services.item_delete(actor=table.cochair, item=item)
    assert not assessment.items.filter(pk=item.pk).exists()


def test_an_admin_answers_for_their_organization_amber_by_default(table):
    assessment = open_assessment(table)
    item = assessment.items.first()
    [saved] = services.needs_answers_save(
        actor=table.admin, assessment=assessment, organization=table.private_org,
        answers=[{"item": item.pk, "level": 2, "importance": 5, "poete": "equipment", "comment": "No generator"}],
    )  # fmt: skip
    assert (saved.tlp, saved.answered_by) == (TLP.AMBER, table.admin.person)
    assert selectors.answer_list(viewer=viewer_for(table.cochair)).filter(pk=saved.pk).exists()
    assert not selectors.answer_list(viewer=viewer_for(table.other_admin)).filter(pk=saved.pk).exists()
    # answering again changes the answer
    services.needs_answers_save(actor=table.admin, assessment=assessment, organization=table.private_org,
                          answers=[{"item": item.pk, "level": 3, "importance": 5}])  # fmt: skip
    assert NeedsAnswer.objects.get().level == 3


@pytest.mark.parametrize("user", ["member", "other_admin", "outsider"])
def test_only_the_admin_or_a_cochair_answers_for_an_organization(table, user):
    assessment = open_assessment(table)
    with pytest.raises(PermissionDenied):
        services.needs_answers_save(actor=getattr(table, user), assessment=assessment, organization=table.private_org,
                              answers=[{"item": assessment.items.first().pk, "level": 2, "importance": 3}])  # fmt: skip


@pytest.mark.parametrize(
    "values",
    [
        {"level": 0, "importance": 3},
        {"level": 2, "importance": 6},
        {"level": 2, "importance": 3, "poete": "luck"},
    ],
)
def test_bad_answers_change_nothing(table, values):
    assessment = open_assessment(table)
    with pytest.raises(ValidationError):
        services.needs_answers_save(actor=table.admin, assessment=assessment, organization=table.private_org,
                              answers=[{"item": assessment.items.first().pk, **values}])  # fmt: skip
    assert not NeedsAnswer.objects.exists()


def test_a_closed_assessment_takes_no_answers(table):
    assessment = open_assessment(table, opens_on=datetime.date(2020, 1, 1))
    services.needs_assessment_update(
        actor=table.cochair, assessment=assessment, data={"closes_on": datetime.date(2020, 2, 1)}
    )
    with pytest.raises(ValidationError):
        services.needs_answers_save(actor=table.admin, assessment=assessment, organization=table.private_org,
                              answers=[{"item": assessment.items.first().pk, "level": 2, "importance": 3}])  # fmt: skip
    with pytest.raises(ValidationError):
        services.needs_assessment_update(
            actor=table.cochair, assessment=assessment, data={"closes_on": datetime.date(2019, 1, 1)}
        )
