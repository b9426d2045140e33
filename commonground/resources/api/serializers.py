import operator

from django.conf import settings
from django.db import models
from django.utils import timezone
from rest_framework import serializers

from commonground.communities.api.serializers import (
    CommunitySlugField,
    VisibleOrganizationField,
    VisiblePersonField,
)
from commonground.core.api.fields import VisibleRelatedField

from ..documents import check_document
from ..models import Agreement, Resource, stale_before
from ..services import AGREEMENT_FIELDS, RESOURCE_FIELDS


class VisibleResourceField(VisibleRelatedField):
    model = Resource


class ResourceListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        """Write each resource out with what the page reads once (`_Page`)."""
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        page = _Page()
        return [self.child.represent(resource, page) for resource in rows]


class _Page:
    """What every row of a page is written with, read once: the current time zone and the staleness day."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.stale_before = stale_before()

    def timestamp(self, value) -> str | None:
        """`core.api.serializers.timestamp` with the zone read once for the page (the equality test pins it)."""
        if not value:
            return None
        text = value.astimezone(self.zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text


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
        list_serializer_class = ResourceListSerializer

    # Model fields whose value goes out as it is.
    PLAIN_FIELDS = [name for name in RESOURCE_FIELDS if name not in ("person", "contact", "verified_on")]

    def to_representation(self, instance):
        """Write a resource out by hand: the distance search's hot path (DRF's generic way is 10x slower).

        tests/test_api.py checks that this gives exactly what DRF's own fields would.
        """
        return self.represent(instance, _Page())

    def represent(self, instance, page: "_Page") -> dict:
        """Write a resource out with what its page reads once: the time zone and the staleness day."""
        data = dict(zip(_LEADING, (instance.pk, instance.community.slug, instance.organization_id,
                                   instance.organization.name), strict=True))  # fmt: skip
        data.update(zip(self.PLAIN_FIELDS, _plain_values(instance), strict=True))
        data["person"] = instance.person_id
        data["contact"] = instance.contact_id
        verified_on = instance.verified_on
        data["verified_on"] = verified_on.isoformat() if verified_on else None
        data["recipient_organizations"] = _keys_of(instance, "recipient_organizations")
        data["recipient_people"] = _keys_of(instance, "recipient_people")
        data["is_stale"] = instance.stale_as_of(page.stale_before)
        data["distance_km"] = getattr(instance, "distance_km", None)
        data["created"] = page.timestamp(instance.created)
        data["updated"] = page.timestamp(instance.updated)
        return {name: data[name] for name in _ORDER}

    def generic_representation(self, instance):
        """DRF's own rendering of the declared fields, against which the hand-written one is tested."""
        data = super().to_representation(instance)
        data["distance_km"] = getattr(instance, "distance_km", None)
        return data


_LEADING = ("id", "community", "organization", "organization_name")
_plain_values = operator.attrgetter(*ResourceSerializer.PLAIN_FIELDS)
_ORDER = list(ResourceSerializer.Meta.fields)


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
