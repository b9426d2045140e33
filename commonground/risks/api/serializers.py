from rest_framework import serializers

from commonground.communities.api.serializers import CommunitySlugField, VisibleOrganizationField
from commonground.core.api.fields import VisibleRelatedField

from ..choices import Lifeline
from ..models import CriticalFunction, Hazard, HazardAssessment
from ..services import ASSESSMENT_FIELDS, FUNCTION_FIELDS, HAZARD_FIELDS


class HazardSerializer(serializers.ModelSerializer):
    community = CommunitySlugField(
        required=False,
        allow_null=True,
        help_text="Slug of the community that added it; null for the catalogue.",
    )
    lifelines = serializers.ListField(child=serializers.ChoiceField(choices=Lifeline.choices), required=False)

    class Meta:
        model = Hazard
        fields = ["id", "community", "code", *HAZARD_FIELDS, "national_risk_index", "created", "updated"]
        read_only_fields = ["id", "code", "national_risk_index", "created", "updated"]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("community"):
            raise serializers.ValidationError({"community": ["Name the community that faces this hazard."]})
        return attrs


class VisibleHazardField(VisibleRelatedField):
    model = Hazard


class VisibleFunctionField(VisibleRelatedField):
    model = CriticalFunction


class CriticalFunctionSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    organization = VisibleOrganizationField(help_text="The organization that must keep it running.")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    recipient_organizations = VisibleOrganizationField(many=True, required=False)

    class Meta:
        model = CriticalFunction
        fields = ["id", "community", "organization", "organization_name", *FUNCTION_FIELDS,
                  "recipient_organizations", "created", "updated"]  # fmt: skip
        read_only_fields = ["id", "created", "updated"]
        # The service answers a collision, without revealing a record the writer may not see.
        validators = []


class AssessmentSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    organization = VisibleOrganizationField(help_text="The organization whose self-assessment this is.")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    hazard = VisibleHazardField()
    hazard_name = serializers.CharField(source="hazard.name", read_only=True)
    critical_functions = VisibleFunctionField(many=True, required=False)
    recipient_organizations = VisibleOrganizationField(many=True, required=False)
    impact = serializers.IntegerField(read_only=True, help_text="The worst of the three impacts.")
    risk = serializers.IntegerField(read_only=True, help_text="Likelihood x impact, 1 to 25.")

    class Meta:
        model = HazardAssessment
        fields = ["id", "community", "organization", "organization_name", "hazard", "hazard_name",
                  *ASSESSMENT_FIELDS, "critical_functions", "recipient_organizations", "impact", "risk",
                  "created", "updated"]  # fmt: skip
        read_only_fields = ["id", "created", "updated"]
        # The service answers a collision, without revealing a record the writer may not see.
        validators = []


class HazardRiskSerializer(serializers.Serializer):
    hazard = serializers.IntegerField(source="hazard.pk")
    hazard_name = serializers.CharField(source="hazard.name")
    kind = serializers.CharField(source="hazard.kind")
    organizations = serializers.IntegerField(allow_null=True)
    by_sector = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    likelihood = serializers.FloatField(allow_null=True)
    impact = serializers.FloatField(allow_null=True)
    vulnerability = serializers.FloatField(allow_null=True)
    preparedness = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True, help_text="Mean likelihood x mean impact, 1 to 25.")
    band = serializers.CharField(allow_null=True)
    shared = serializers.BooleanField(
        help_text="It threatens organizations of both the public and private side."
    )

    def to_representation(self, risk):
        data = super().to_representation(risk)
        data["band"] = risk.band[0] if risk.band else None
        return data


class RiskProfileSerializer(serializers.Serializer):
    community = serializers.CharField(source="community.slug")
    marking = serializers.CharField(
        help_text="The TLP marking the figures, as the requester sees them, carry."
    )
    member_organizations = serializers.IntegerField()
    assessing_organizations = serializers.IntegerField(
        help_text="Organizations whose assessments the requester may count (`core.aggregates`)."
    )
    hazards = HazardRiskSerializer(many=True, source="ranked")
