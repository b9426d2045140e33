from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commonground.communities.models import Community
from commonground.core.api.fields import VisibleRelatedField
from commonground.registry.models import Organization, Person

from ..choices import CheckResult, CredentialKind, CriticalReason
from ..models import Activation, Credential, Facility, Nomination, RestrictedArea

MAX_CHECKS = 1000


class CommunitySlugField(serializers.SlugRelatedField):
    """A community the requester sits in, by its slug."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        from commonground.core.viewer import viewer_for

        return Community.objects.visible_to(viewer_for(self.context["request"].user))


class FacilitySerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    organization = VisibleRelatedField(model=Organization)

    class Meta:
        model = Facility
        fields = ["id", "community", "organization", "name", "address", "zip_code", "latitude", "longitude"]


class NominationSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    organization = VisibleRelatedField(model=Organization)
    person = VisibleRelatedField(model=Person, required=False, allow_null=True)
    facilities = VisibleRelatedField(model=Facility, many=True)
    kind = serializers.ChoiceField(choices=CredentialKind.choices)
    reason = serializers.ChoiceField(choices=CriticalReason.choices)
    photo = serializers.ImageField(required=False, allow_null=True, write_only=True)
    holder = serializers.CharField(source="holder_name", read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id", "community", "organization", "person", "label", "holder", "kind", "facilities", "job_role",
            "reason", "reason_detail", "photo", "virtual_days", "status", "acknowledged_at", "refusal_reason",
            "created",
        ]  # fmt: skip
        read_only_fields = ["status", "acknowledged_at", "refusal_reason", "created"]

    def validate_facilities(self, facilities):
        # Facilities are checked against the community and organization by the service.
        return facilities


class CredentialReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CredentialSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kid = serializers.CharField(source="key.kid", read_only=True)

    class Meta:
        model = Credential
        fields = [
            "id", "public_id", "community", "organization", "nomination", "kind", "holder_name",
            "organization_name", "facility_name", "facility_ids", "is_virtual", "valid_from", "valid_until",
            "status", "revoked_at", "revocation_reason", "kid", "rid", "code",
        ]  # fmt: skip
        read_only_fields = fields


class ActivationSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    area = VisibleRelatedField(model=RestrictedArea)
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=CredentialKind.choices), allow_empty=False
    )

    class Meta:
        model = Activation
        fields = ["id", "community", "name", "area", "kinds", "starts_at", "ends_at", "notified_at"]
        read_only_fields = ["notified_at"]


class CheckSerializer(serializers.Serializer):
    client_id = serializers.UUIDField()
    checked_at = serializers.DateTimeField()
    credential_id = serializers.CharField(max_length=16, allow_null=True, allow_blank=True, required=False)
    result = serializers.ChoiceField(choices=CheckResult.choices)
    activation = serializers.IntegerField(allow_null=True, required=False, min_value=0, max_value=2**31 - 1)
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class CheckUploadSerializer(serializers.Serializer):
    community = serializers.SlugField(max_length=50)
    checks = serializers.ListField(child=CheckSerializer(), max_length=MAX_CHECKS)


class CheckUploadResultSerializer(serializers.Serializer):
    stored = serializers.IntegerField()
    duplicates = serializers.IntegerField()


class VerificationSerializer(serializers.Serializer):
    community = serializers.SlugField(max_length=50)
    code = serializers.CharField(max_length=8192, trim_whitespace=True, allow_blank=True)
    activation = serializers.IntegerField(allow_null=True, required=False, min_value=0, max_value=2**31 - 1)


class VerifiedCredentialSerializer(serializers.Serializer):
    id = serializers.CharField()
    holder = serializers.CharField()
    organization = serializers.CharField()
    facility = serializers.CharField()
    facilities = serializers.ListField(child=serializers.IntegerField())
    kind = serializers.CharField()
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()


class VerificationResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=CheckResult.choices)
    reason = serializers.CharField(help_text=_("Why, in words a checkpoint officer reads."))
    credential = VerifiedCredentialSerializer(allow_null=True)
