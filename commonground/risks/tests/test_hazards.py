import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from commonground.core.models import AuditEntry
from commonground.core.viewer import viewer_for
from commonground.risks import selectors, services
from commonground.risks.models import Hazard


def test_the_catalogue_holds_the_national_risk_index_pandemic_and_the_rest(db):
    catalogue = Hazard.objects.filter(community=None)
    assert catalogue.filter(national_risk_index=True).count() == 18
    assert catalogue.filter(code="pandemic", kind="natural").exists()
    assert {"technological", "human_caused"} <= set(catalogue.values_list("kind", flat=True))
    assert catalogue.get(code="cyber_incident").lifelines


def test_a_cochair_adds_a_hazard_only_their_community_sees(table):
    hazard = services.hazard_create(
        actor=table.cochair, community=table.community, name="  Grain  elevator explosion ", kind="technological",
        lifelines=["food_shelter", "safety_security"],
    )  # fmt: skip
    assert (hazard.name, hazard.code) == ("Grain elevator explosion", "grain_elevator_explosion")
    assert AuditEntry.objects.filter(object_id=str(hazard.pk), action="create").exists()
    assert selectors.hazard_list(viewer=viewer_for(table.member)).filter(pk=hazard.pk).exists()
    assert not selectors.hazard_list(viewer=viewer_for(table.outsider)).filter(pk=hazard.pk).exists()
    assert selectors.hazard_list(viewer=viewer_for(table.outsider)).filter(code="tornado").exists()


@pytest.mark.parametrize("user", ["member", "admin", "outsider"])
def test_others_may_not_add_hazards(table, user):
    with pytest.raises(PermissionDenied):
        services.hazard_create(
            actor=getattr(table, user), community=table.community, name="X", kind="natural"
        )


def test_a_name_the_community_has_already_or_an_unknown_lifeline_is_refused(table):
    with pytest.raises(ValidationError) as error:
        services.hazard_create(actor=table.cochair, community=table.community, name="Tornado", kind="natural")
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.hazard_create(
            actor=table.cochair,
            community=table.community,
            name="Sinkhole",
            kind="natural",
            lifelines=["moon"],
        )
    assert "lifelines" in error.value.message_dict


def test_the_catalogue_cannot_be_changed(table):
    tornado = Hazard.objects.get(code="tornado", community=None)
    with pytest.raises(PermissionDenied):
        services.hazard_update(actor=table.facilitator, hazard=tornado, data={"name": "Twister"})
    response = _api(table.facilitator).patch(
        f"/api/v1/hazards/{tornado.pk}/", {"name": "Twister"}, format="json"
    )
    assert response.status_code == 403


def test_the_api_lists_a_communitys_hazards_and_filters_them(table):
    services.hazard_create(actor=table.cochair, community=table.community, name="Sinkhole", kind="natural")
    api = _api(table.member)
    everything = api.get("/api/v1/hazards/", {"community": "riverbend", "page_size": 200}).json()
    assert everything["count"] == Hazard.objects.filter(community=None).count() + 1
    energy = api.get("/api/v1/hazards/", {"lifeline": "energy", "kind": "technological"}).json()["results"]
    assert {h["code"] for h in energy} >= {"power_failure"} and all(
        h["kind"] == "technological" for h in energy
    )
    assert api.get("/api/v1/hazards/", {"lifeline": "moon"}).status_code == 400


def test_the_page_groups_hazards_by_kind(table):
    client = Client()
    client.force_login(table.member)
    page = client.get("/c/riverbend/hazards/").content.decode()
    assert "Human-caused" in page and "Cyber incident" in page and "National Risk Index" in page


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client
