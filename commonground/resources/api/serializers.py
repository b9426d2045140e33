from django.conf import settings
from rest_framework import serializers

from commonground.communities.api.serializers import (
    CommunitySlugField,
    VisibleOrganizationField,
    VisiblePersonField,
)

from ..documents import check_document
from ..models import Agreement, Resource
from ..services import AGREEMENT_FIELDS, RESOURCE_FIELDS


class VisibleResourceField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        from commonground.core.viewer import viewer_for

        return Resource.objects.visible_to(viewer_for(self.context["request"].user))


class ResourceSerializer(serializers.ModelSerializer):
    community = CommunitySlugField(help_text="Slug of the community whose database holds it.")
    organization = VisibleOrganizationField(help_text="The organization that holds and shares it.")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    person = VisiblePersonField(required=False, allow_null=True)
    contact = VisiblePersonField(required=False, allow_null=True)
    recipient_organizations = VisibleOrganizationField(many=True, required=False)
    recipient_people = VisiblePersonField(many=True, required=False)
    is_stale = serializers.BooleanField(read_only=True)
    distance_km = serializers.FloatField(
        read_only=True, allow_null=True, default=None, help_text="Distance from `near`, in a distance search."
    )

    class Meta:
        model = Resource
        fields = [
            "id", "community", "organization", "organization_name", *RESOURCE_FIELDS,
            "recipient_organizations", "recipient_people", "is_stale", "distance_km", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["id", "created", "updated"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["distance_km"] = getattr(instance, "distance_km", None)
        return data


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    examples = serializers.CharField()


class AgreementSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    organization = VisibleOrganizationField(help_text="The party recording the agreement.")
    parties = VisibleOrganizationField(many=True)
    resources = VisibleResourceField(many=True, required=False)
    recipient_organizations = VisibleOrganizationField(many=True, required=False)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id", "community", "organization", *AGREEMENT_FIELDS, "parties", "resources",
            "recipient_organizations", "is_current", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["id", "created", "updated"]

    def validate_document(self, document):
        if document:
            check_document(document, settings.AGREEMENT_DOCUMENT_MAX_BYTES, settings.AGREEMENT_DOCUMENT_TYPES)
        return document
