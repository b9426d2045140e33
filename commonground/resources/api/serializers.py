from django.conf import settings
from rest_framework import serializers

from commonground.communities.api.serializers import (
    CommunitySlugField,
    VisibleOrganizationField,
    VisiblePersonField,
)
from commonground.core.api.fields import VisibleRelatedField
from commonground.core.api.serializers import timestamp

from ..documents import check_document
from ..models import Agreement, Resource
from ..services import AGREEMENT_FIELDS, RESOURCE_FIELDS


class VisibleResourceField(VisibleRelatedField):
    model = Resource


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

    # Model fields whose value goes out as it is (or as ISO 8601 for dates).
    PLAIN_FIELDS = [name for name in RESOURCE_FIELDS if name not in ("person", "contact", "verified_on")]

    def to_representation(self, instance):
        """Write a resource out by hand: the distance search's hot path (DRF's generic way is 10x slower).

        tests/test_api.py checks that this gives exactly what DRF's own fields would.
        """
        data = {
            "id": instance.pk,
            "community": instance.community.slug,
            "organization": instance.organization_id,
            "organization_name": instance.organization.name,
        }
        for name in self.PLAIN_FIELDS:
            data[name] = getattr(instance, name)
        data["person"] = instance.person_id
        data["contact"] = instance.contact_id
        data["verified_on"] = instance.verified_on.isoformat() if instance.verified_on else None
        data["recipient_organizations"] = _keys_of(instance, "recipient_organizations")
        data["recipient_people"] = _keys_of(instance, "recipient_people")
        data["is_stale"] = instance.is_stale
        data["distance_km"] = getattr(instance, "distance_km", None)
        data["created"] = timestamp(instance.created)
        data["updated"] = timestamp(instance.updated)
        return {name: data[name] for name in self.Meta.fields if name in data}

    def generic_representation(self, instance):
        """DRF's own rendering of the declared fields, against which the hand-written one is tested."""
        data = super().to_representation(instance)
        data["distance_km"] = getattr(instance, "distance_km", None)
        return data


def _keys_of(instance, relation: str) -> list[int]:
    """The keys of a many-to-many relation, from what the list read already where it did (no related manager:
    making one for each row and relation cost a list page more than the rest of its rows)."""
    read = getattr(instance, "_prefetched_objects_cache", {}).get(relation)
    return [row.pk for row in (read if read is not None else getattr(instance, relation).all())]


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
