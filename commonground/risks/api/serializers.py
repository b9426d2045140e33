from rest_framework import serializers

from commonground.communities.api.serializers import CommunitySlugField

from ..choices import Lifeline
from ..models import Hazard
from ..services import HAZARD_FIELDS


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
