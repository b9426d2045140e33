from rest_framework import serializers

from commonground.communities.api.serializers import CommunitySlugField, VisibleOrganizationField
from commonground.core.api.serializers import timestamp
from commonground.registry import selectors
from commonground.registry.models import Invitation, Organization, Person
from commonground.registry.services.organizations import ORGANIZATION_FIELDS


class OrganizationListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        """Write a page of organizations with one light query for the communities of all of them."""
        organizations = list(data.all() if hasattr(data, "all") else data)
        slugs = selectors.community_slugs([organization.pk for organization in organizations])
        return [
            self.child.represent(organization, slugs.get(organization.pk, []))
            for organization in organizations
        ]


class OrganizationSerializer(serializers.ModelSerializer):
    community = CommunitySlugField(
        write_only=True, required=False, help_text="Slug of the community to seat it at (on create)."
    )
    communities = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Slugs of the communities it sits at."
    )

    class Meta:
        model = Organization
        fields = ["id", *ORGANIZATION_FIELDS, "community", "communities", "created", "updated"]
        read_only_fields = ["id", "communities", "created", "updated"]
        list_serializer_class = OrganizationListSerializer

    def validate(self, attrs):
        if self.instance is None and "community" not in attrs:
            raise serializers.ValidationError(
                {"community": ["Name the community to register the organization at."]}
            )
        return attrs

    def to_representation(self, instance):
        return self.represent(instance, selectors.community_slugs([instance.pk]).get(instance.pk, []))

    def represent(self, organization, communities: list[str]) -> dict:
        """Write an organization out by hand: the organization list is the API's busiest read.

        tests/test_api.py checks that this gives exactly what DRF's own fields would.
        """
        data = {"id": organization.pk}
        for name in ORGANIZATION_FIELDS:
            data[name] = getattr(organization, name)
        data["communities"] = communities
        data["created"] = timestamp(organization.created)
        data["updated"] = timestamp(organization.updated)
        return data

    def generic_representation(self, organization, communities: list[str]) -> dict:
        """DRF's own rendering of the declared fields, against which the hand-written one is tested."""
        organization.communities = communities
        return super().to_representation(organization)


class PersonSerializer(serializers.ModelSerializer):
    organization = VisibleOrganizationField()
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    contact_visible = serializers.BooleanField(read_only=True)
    has_login = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id", "organization", "organization_name", "first_name", "last_name", "title", "role", "contact_tlp",
            "contact_visible", "email", "phone", "mobile", "has_login", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["id", "contact_visible", "has_login", "created", "updated"]
        # Null when the contact details' marking does not admit the reader.
        extra_kwargs = {name: {"allow_null": True} for name in ("email", "phone", "mobile")}

    CONTACT_FIELDS = Person.TLPOptions.marked_fields

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        for name in self.CONTACT_FIELDS:
            if name in values and values[name] is None:
                values[name] = ""
        return values

    def get_has_login(self, person) -> bool:
        return person.user_id is not None

    def to_representation(self, person):
        data = super().to_representation(person)
        if not getattr(person, "contact_visible", False):
            for name in self.CONTACT_FIELDS:
                data[name] = None
        return data


class InvitationSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    organization = VisibleOrganizationField(required=False, allow_null=True)
    invited_by = serializers.CharField(source="invited_by.username", read_only=True)
    status = serializers.CharField(source="display_status", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id", "community", "email", "name", "organization", "organization_name", "suggested_category",
            "as_cochair", "message", "status", "mail_status", "invited_by", "expires_at", "accepted_at", "created",
        ]  # fmt: skip
        read_only_fields = [
            "id",
            "status",
            "mail_status",
            "invited_by",
            "expires_at",
            "accepted_at",
            "created",
        ]


class NewOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [name for name in ORGANIZATION_FIELDS]
        extra_kwargs = {"name": {"required": False}, "category": {"required": False}}


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=1000)
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    organization = NewOrganizationSerializer(
        required=False, help_text="For an invitee whose organization is new to the table."
    )


class AcceptedSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    organization = serializers.IntegerField()
    community = serializers.CharField()


class CategoryCoverageSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    side = serializers.CharField()
    organizations = serializers.IntegerField()
    present = serializers.BooleanField()


class CoverageSerializer(serializers.Serializer):
    percent = serializers.IntegerField()
    threshold = serializers.IntegerField()
    meets_threshold = serializers.BooleanField()
    total = serializers.IntegerField()
    by_sector = serializers.DictField(child=serializers.IntegerField())
    categories = CategoryCoverageSerializer(many=True)
    missing = serializers.SerializerMethodField()
    business_bands = serializers.SerializerMethodField()
    largest_employer = serializers.CharField(source="largest_employer.name", allow_null=True, default=None)
    smallest_employer = serializers.CharField(source="smallest_employer.name", allow_null=True, default=None)

    def get_missing(self, coverage) -> list[str]:
        return [c.code for c in coverage.missing]

    def get_business_bands(self, coverage) -> list[dict]:
        return [{"employees": str(label), "organizations": count} for label, count in coverage.business_bands]
