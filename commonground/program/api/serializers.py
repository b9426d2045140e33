"""The program statistics as the API answers them: a suppressed figure is `{"value": null, "suppressed": true}`."""

from rest_framework import serializers


class CellSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="The figure; null when suppressed.")
    suppressed = serializers.BooleanField(
        help_text="True when the figure rests on one or two organizations and the caller is not a facilitator."
    )

    def to_representation(self, instance):
        return instance.as_json()


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    cell = CellSerializer()


class StateSerializer(serializers.Serializer):
    state = serializers.CharField()
    communities = serializers.IntegerField()
    organizations = CellSerializer()


class PlaceSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    state = serializers.CharField()
    center_latitude = serializers.FloatField()
    center_longitude = serializers.FloatField()


class GrowthRowSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month at whose end the figures stand.")
    quarter_end = serializers.BooleanField(
        help_text=(
            "True when the month ends a calendar quarter (or is this month). A caller who is not a facilitator "
            "gets these rows' figures settled first, so they are suppressed least; the other months' figures "
            "are shown only where they give no figure of one or two organizations away."
        )
    )
    organizations = serializers.DictField(child=CellSerializer(), help_text="By sector.")
    organizations_total = CellSerializer()
    participants = serializers.DictField(child=CellSerializer(), help_text="By sector.")
    participants_total = CellSerializer()


class StepCountSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    done = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_started = serializers.IntegerField()


class IncidentCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    cell = CellSerializer()


class NetworkRowSerializer(serializers.Serializer):
    community = serializers.CharField(source="community__slug")
    month = serializers.DateField()
    organizations = serializers.FloatField(source="n_organizations", allow_null=True)
    ties = serializers.FloatField(source="n_ties", allow_null=True)
    density = serializers.FloatField(source="d", allow_null=True)
    bridging_share = serializers.FloatField(source="share", allow_null=True)


class NetworkSerializer(serializers.Serializer):
    communities = serializers.IntegerField()
    organizations = CellSerializer()
    ties = CellSerializer()
    density = CellSerializer()
    bridging = CellSerializer()
    rows = NetworkRowSerializer(many=True)


class StatisticsSerializer(serializers.Serializer):
    full = serializers.BooleanField(help_text="Whether the figures are in full (facilitators) or suppressed.")
    figures = FigureSerializer(many=True)
    communities = PlaceSerializer(many=True)
    states = StateSerializer(many=True)
    growth = GrowthRowSerializer(many=True)
    steps = StepCountSerializer(many=True)
    incidents = IncidentCountSerializer(many=True)
    network = NetworkSerializer()


class StepStateSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField(
        help_text="done, in_progress, not_started, or empty when not computed yet."
    )
    summary = serializers.CharField(help_text="Facilitators only; empty for everyone else.")


class CommunityProgressSerializer(serializers.Serializer):
    slug = serializers.CharField(source="community.slug")
    name = serializers.CharField(source="community.name")
    state = serializers.CharField(source="community.state")
    kind = serializers.CharField(source="community.kind")
    organizations = CellSerializer()
    steps_done = serializers.IntegerField()
    steps = StepStateSerializer(many=True)
    computed = serializers.DateTimeField(allow_null=True)
