from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commonground.communities.api.serializers import (
    CommunitySlugField,
    OrganizationIdField,
    VisiblePersonField,
)
from commonground.core.api.fields import PrimaryKeyRelatedField
from commonground.risks.api.serializers import VisibleHazardField

from ..choices import core_capabilities
from ..models import Attendance, ExerciseObjective, Meeting, Observation
from ..services import MEETING_FIELDS
from .serializers import VisibleGoalField

CAPABILITY = serializers.ChoiceField(
    choices=[""] + core_capabilities(), required=False, allow_blank=True, default="",
    help_text="A core capability of the National Preparedness Goal.",
)  # fmt: skip


class AttendanceSerializer(serializers.ModelSerializer):
    organization = OrganizationIdField()
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    sector = serializers.CharField(source="organization.sector", read_only=True)
    people = serializers.IntegerField(min_value=1, max_value=999, default=1)

    class Meta:
        model = Attendance
        fields = ["organization", "organization_name", "sector", "people"]


class AttendanceListSerializer(serializers.Serializer):
    attendance = AttendanceSerializer(many=True, max_length=2000, help_text="Replaces the meeting's list.")

    def validate_attendance(self, rows):
        ids = [row["organization"] for row in rows]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Name each organization once.")
        return rows


class ObjectiveSerializer(serializers.ModelSerializer):
    capability = CAPABILITY

    class Meta:
        model = ExerciseObjective
        fields = ["id", "text", "capability", "position"]
        read_only_fields = ["id", "position"]


class ObservationSerializer(serializers.ModelSerializer):
    capability = CAPABILITY
    objective = PrimaryKeyRelatedField(
        queryset=ExerciseObjective.objects.all(), required=False, allow_null=True,
        help_text="An objective of this exercise.",
    )  # fmt: skip
    corrective_actions = PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="The tasks that answer it."
    )

    class Meta:
        model = Observation
        fields = ["id", "kind", "objective", "capability", "text", "analysis", "poete", "corrective_actions"]
        read_only_fields = ["id", "corrective_actions"]


class MeetingSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    scenario_hazards = VisibleHazardField(many=True, required=False)
    attendance = AttendanceSerializer(many=True, read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)
    observations = ObservationSerializer(many=True, read_only=True)
    improvement_plan = PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The goal its corrective actions go under."
    )

    class Meta:
        model = Meeting
        fields = [
            "id", "community", *MEETING_FIELDS, "scenario_hazards", "attendance", "objectives", "observations",
            "improvement_plan", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["id", "created", "updated"]


@extend_schema_field(OpenApiTypes.INT)
class PersonIdField(VisiblePersonField):
    """A person by id, typed for the schema (plain serializers)."""


@extend_schema_field(OpenApiTypes.INT)
class GoalIdField(VisibleGoalField):
    """A goal by id, typed for the schema (plain serializers)."""


class CorrectiveActionSerializer(serializers.Serializer):
    observation = serializers.IntegerField(help_text="An area for improvement of this exercise.")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    owner_organization = OrganizationIdField()
    owner_person = PersonIdField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField()
    goal = GoalIdField(required=False, allow_null=True, default=None,
                            help_text="Leave out to put it in the exercise's improvement plan.")  # fmt: skip
