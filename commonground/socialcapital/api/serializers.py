from rest_framework import serializers

from commonground.socialcapital.models import NetworkSnapshot


class NetworkSnapshotSerializer(serializers.ModelSerializer):
    """A month's measures of a community's network: the figures, the tie types each used, the organizations
    (nodes) and the ties with the kinds of record behind each."""

    community = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    measures = serializers.JSONField(read_only=True)

    class Meta:
        model = NetworkSnapshot
        fields = ["id", "community", "month", "as_of", "computed_at", "measures"]
        read_only_fields = fields
