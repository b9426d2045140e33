from django.utils import timezone
from rest_framework import serializers

from commonground.core.models import AuditEntry


def timestamp(value) -> str | None:
    """Write a stored time as DRF's DateTimeField does (ISO 8601, current time zone, Z for UTC), for hot paths.

    The hand-written representations call it; their tests check it equals DRF's own output.
    """
    if not value:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_repr", read_only=True)
    model = serializers.CharField(source="content_type.model", read_only=True)
    changes = serializers.SerializerMethodField()
    withheld = serializers.SerializerMethodField(
        help_text="True when the values of marked fields are withheld from this reader."
    )

    def get_changes(self, entry) -> dict:
        return entry.visible_changes

    def get_withheld(self, entry) -> bool:
        return not entry.marking_visible and not entry.whole_record

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
            "withheld",
            "tlp",
            "community_id",
            "organization_id",
        ]
        read_only_fields = fields
