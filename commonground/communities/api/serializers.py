from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commonground.communities.models import CoChair, Community, Membership
from commonground.core.api.fields import VisibleRecords, VisibleRelatedField


class CommunitySerializer(serializers.ModelSerializer):
    organization_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Community
        fields = [
            "id", "slug", "name", "kind", "state", "center_latitude", "center_longitude", "time_zone",
            "description", "coverage_threshold", "assessment_threshold", "members_cast_ballots", "organization_count",
            "two_factor_required_for_leaders", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["id", "organization_count", "created", "updated"]


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=["done", "in_progress", "not_started"])
    summary = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())


@extend_schema_field(OpenApiTypes.STR)
class CommunitySlugField(VisibleRecords, serializers.SlugRelatedField):
    model = Community

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        community = self.get_queryset().with_slug(data).first()
        if community is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data[:80])
        return community


class VisibleOrganizationField(VisibleRelatedField):
    model = "registry.Organization"  # an app above this one: named as foreign keys name it


@extend_schema_field(OpenApiTypes.INT)
class OrganizationIdField(VisibleOrganizationField):
    """An organization by id, typed for the schema where no model tells it (plain serializers)."""


class VisiblePersonField(VisibleRelatedField):
    model = "registry.Person"


class MembershipSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    organization = VisibleOrganizationField()
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "community", "organization", "organization_name", "created"]
        read_only_fields = ["id", "created"]
        validators = []


class CoChairSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    person = VisiblePersonField()
    person_name = serializers.CharField(source="person.__str__", read_only=True)
    organization = serializers.CharField(source="person.organization.name", read_only=True)
    sector = serializers.CharField(source="person.organization.sector", read_only=True)

    class Meta:
        model = CoChair
        fields = ["id", "community", "person", "person_name", "organization", "sector", "created"]
        read_only_fields = ["id", "created"]
        validators = []
