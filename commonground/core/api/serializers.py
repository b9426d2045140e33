from rest_framework import serializers

from commonground.core.models import AuditEntry

# How every API answer writes a time; hand-written representations call it directly.
TIMESTAMP = serializers.DateTimeField(read_only=True)


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_repr", read_only=True)
    model = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "model",
            "object_id",
            "object_repr",
            "changes",
            "community_id",
            "organization_id",
        ]
        read_only_fields = fields
