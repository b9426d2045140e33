"""Loose input is refused, not bent into something the client did not mean: a fractional id, a ZIP code
the importer would refuse, and a PATCH of a field a record keeps for life."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import serializers
from rest_framework.test import APIClient

from commonground.api_urls import router
from commonground.core.api.fields import PrimaryKeyRelatedField
from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.core.validators import normalized_zip_code, validate_state_code, validate_zip_code
from commonground.registry.imports import zip_code
from commonground.registry.models import Organization, Person
from commonground.resources import services as resource_services
from commonground.resources.models import Agreement, Resource
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks.models import Hazard
from commonground.risks.services import hazards as hazard_services
from commonground.sustainability import services as plan_services
from commonground.sustainability.models import Goal, Task

FAR = datetime.date(2099, 1, 1)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def related_fields(serializer, path):
    for name, field in serializer.fields.items():
        related = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
        if isinstance(related, serializers.RelatedField) and not related.read_only:
            yield f"{path}.{name}", related
        if isinstance(related, serializers.ListSerializer):
            yield from related_fields(related.child, f"{path}.{name}")
        elif isinstance(related, serializers.BaseSerializer):
            yield from related_fields(related, f"{path}.{name}")


def test_every_writable_related_field_of_the_api_refuses_fractional_ids():
    loose = []
    for prefix, viewset, _basename in router.registry:
        if not hasattr(viewset, "get_serializer_class"):
            continue
        view = viewset(request=None, format_kwarg=None, kwargs={})
        for action in ["create", "update", *(a.__name__ for a in viewset.get_extra_actions())]:
            view.action = action
            serializer = view.get_serializer_class()(context={"request": None})
            loose += [
                path
                for path, field in related_fields(serializer, f"{prefix}:{action}")
                if not isinstance(field, PrimaryKeyRelatedField | serializers.SlugRelatedField)
            ]
    assert loose == []


@pytest.mark.parametrize("value", [0.5, True, "1.5"])
def test_a_fractional_or_boolean_organization_id_is_refused_and_nothing_is_written(table, value):
    before = (Person.objects.count(), AuditEntry.objects.count())
    organization = table.private_org.pk + value if isinstance(value, float) else value
    response = api(table.admin).post(
        "/api/v1/people/",
        {"organization": organization, "first_name": "Ana", "last_name": "Loose", "role": "member"},
        format="json",
    )
    assert response.status_code == 400 and "organization" in response.json()
    assert (Person.objects.count(), AuditEntry.objects.count()) == before


def test_a_whole_number_id_still_names_the_organization(table):
    response = api(table.admin).post(
        "/api/v1/people/",
        {"organization": float(table.private_org.pk), "first_name": "Ana", "last_name": "Whole"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Person.objects.get(last_name="Whole").organization == table.private_org


def test_zip_and_state_rules_are_one_validator_for_model_api_and_importer():
    with pytest.raises(ValidationError):
        validate_zip_code("ABCDE")
    with pytest.raises(ValidationError):
        validate_state_code("T1")
    with pytest.raises(ValueError, match="not a ZIP code"):
        zip_code("ABCDE")
    assert zip_code is normalized_zip_code
    assert normalized_zip_code(" 48933-1234 ") == "48933-1234"
    validate_zip_code("")
    for model in (Organization, Resource):
        assert validate_zip_code in model._meta.get_field("zip_code").validators
        assert validate_state_code in model._meta.get_field("state").validators


@pytest.mark.parametrize(
    ("field", "value"), [("zip_code", "ABCDE"), ("zip_code", "１２３４５"), ("state", "T1")]
)
def test_the_api_refuses_a_zip_code_or_state_the_importer_refuses(table, field, value):
    resource = ResourceFactory(community=table.community, organization=table.private_org, zip_code="48933")
    before = (
        Organization.objects.values_list("state", "zip_code").get(pk=table.private_org.pk),
        Resource.objects.values_list("state", "zip_code").get(pk=resource.pk),
    )
    client = api(table.admin)
    for url in (f"/api/v1/organizations/{table.private_org.pk}/", f"/api/v1/resources/{resource.pk}/"):
        response = client.patch(url, {field: value}, format="json")
        assert response.status_code == 400 and field in response.json(), (url, response.content)
    assert before == (
        Organization.objects.values_list("state", "zip_code").get(pk=table.private_org.pk),
        Resource.objects.values_list("state", "zip_code").get(pk=resource.pk),
    )


@pytest.fixture
def records(table):
    agreement = resource_services.agreement_create(
        actor=None, community=table.community, organization=table.private_org,
        parties=[table.private_org, table.public_org], title="Mutual aid", starts_on=datetime.date(2026, 1, 1),
        document=SimpleUploadedFile("mou.pdf", b"%PDF-1.7 test"), tlp=TLP.GREEN,
    )  # fmt: skip
    hazard = hazard_services.hazard_create(
        actor=None, community=table.community, name="Grain elevator explosion", kind="technological"
    )
    goals = [
        plan_services.goal_create(
            actor=None, community=table.community, statement=f"Goal {n}", measure="m", target_date=FAR
        )
        for n in range(2)
    ]
    task = plan_services.task_create(
        actor=None, goal=goals[0], title="Write the plan", owner_organization=table.public_org, due_on=FAR
    )
    return {"agreement": agreement, "hazard": hazard, "goal": goals[0], "other_goal": goals[1], "task": task}


def fixed_values():
    return (
        sorted(Agreement.objects.values_list("id", "community", "organization", "title")),
        sorted(Hazard.objects.exclude(community=None).values_list("id", "community", "name")),
        sorted(Goal.objects.values_list("id", "community", "statement")),
        sorted(Task.objects.values_list("id", "goal", "title")),
        sorted(Organization.objects.values_list("id", "name", "memberships__community")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/agreements/{agreement}/", {"organization": "{public_org}", "title": "Changed"}),
        ("/api/v1/agreements/{agreement}/", {"community": "elsewhere", "title": "Changed"}),
        ("/api/v1/hazards/{hazard}/", {"community": "elsewhere", "name": "Changed"}),
        ("/api/v1/goals/{goal}/", {"community": "elsewhere", "statement": "Changed"}),
        ("/api/v1/tasks/{task}/", {"goal": "{other_goal}", "title": "Changed"}),
        ("/api/v1/organizations/{private_org}/", {"community": "elsewhere", "name": "Changed"}),
    ],
)
def test_patching_a_field_a_record_keeps_for_life_is_a_400_and_changes_nothing(table, records, url, body):
    ids = {name: record.pk for name, record in records.items()} | {
        "public_org": table.public_org.pk,
        "private_org": table.private_org.pk,
    }
    url = url.format(**ids)
    body = {key: ids[value[1:-1]] if str(value).startswith("{") else value for key, value in body.items()}
    before = fixed_values()
    response = api(table.facilitator).patch(url, body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) & {"organization", "community", "goal"}
    assert fixed_values() == before


def test_naming_a_community_the_organization_already_sits_in_is_no_change(table):
    response = api(table.facilitator).patch(
        f"/api/v1/organizations/{table.private_org.pk}/",
        {"community": "riverbend", "city": "Lansing"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert Organization.objects.get(pk=table.private_org.pk).city == "Lansing"
