"""What the incidents' API reads and writes: incidents, operational periods, ICS-213RR requests, the plan and its
assignments, the timeline and the CAP alerts. Writes go through the services; related records through fields
that offer only what the requester may see."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from commonground.communities.api.serializers import CommunitySlugField, VisibleOrganizationField
from commonground.core.api.fields import VisibleRelatedField
from commonground.core.tlp import ORGANIZATION_MARKINGS, TLP
from commonground.core.viewer import viewer_for
from commonground.resources.choices import SharingTerms
from commonground.risks.api.serializers import VisibleHazardField

from ..geometry import polygon_errors
from ..models import Alert, Assignment, Incident, OperationalPeriod, Plan, ResourceRequest, TimelineEntry
from ..permissions import can_lead_incident
from ..services.incidents import INCIDENT_FIELDS, PERIOD_FIELDS
from ..services.requests import REQUEST_FIELDS

POLYGON_SCHEMA = {
    "type": "object",
    "description": "A GeoJSON Polygon: one closed ring of [longitude, latitude] points, its edges not crossing.",
    "properties": {
        "type": {"type": "string", "enum": ["Polygon"]},
        "coordinates": {
            "type": "array",
            "items": {
                "type": "array",
                "items": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
            },
        },
    },
    "required": ["type", "coordinates"],
}
# Withheld (null) from readers outside the incident's leadership.
NULLABLE_OBJECT = {"type": "object", "nullable": True, "additionalProperties": {}}
FEATURE_COLLECTION_SCHEMA = {
    "type": "object",
    "description": "A GeoJSON FeatureCollection; `tlp` is the narrowest marking of what it holds.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "tlp": {"type": "string"},
        "features": {"type": "array", "items": {"type": "object"}},
    },
}


class VisibleIncidentField(VisibleRelatedField):
    model = Incident


@extend_schema_field(POLYGON_SCHEMA)
class PolygonField(serializers.JSONField):
    """A GeoJSON Polygon, checked as the model checks it: closed, not crossing itself, on the map."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value in (None, {}):
            return None
        message = polygon_errors(value)
        if message:
            raise serializers.ValidationError(message)
        return value


def leads(serializer, incident) -> bool:
    """Whether the requester leads the incident (co-chairs, the opening organization's admins, facilitators)."""
    request = serializer.context.get("request")
    return request is not None and can_lead_incident(viewer_for(request.user), incident)


class IncidentSerializer(serializers.ModelSerializer):
    community = CommunitySlugField(help_text="Slug of the community whose partnership manages it.")
    organization = VisibleOrganizationField(
        help_text="The opening organization, which owns the record's marking (a public-safety organization, "
        "or any organization at the table when a co-chair opens it)."
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    hazard = VisibleHazardField(help_text="A hazard of the catalogue or of the community.")
    hazard_name = serializers.CharField(source="hazard.name", read_only=True)
    reference = serializers.CharField(
        read_only=True, help_text="`<community>-<number>`, as requests cite it."
    )
    polygon = PolygonField(required=False, allow_null=True)
    tlp = serializers.ChoiceField(choices=ORGANIZATION_MARKINGS, default=TLP.AMBER)
    recipient_organizations = VisibleOrganizationField(many=True, required=False)
    is_open = serializers.BooleanField(read_only=True)
    summary = serializers.SerializerMethodField(
        help_text="The after-action summary once closed; for the incident's leadership only (its figures count "
        "records other readers may not see)."
    )

    class Meta:
        model = Incident
        fields = [
            "id", "number", "reference", "community", "organization", "organization_name", "hazard_name",
            *INCIDENT_FIELDS, "recipient_organizations", "is_open", "closed_at", "summary", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["id", "number", "closed_at", "created", "updated"]
        extra_kwargs = {"cap_category": {"required": False}}

    @extend_schema_field(NULLABLE_OBJECT)
    def get_summary(self, incident) -> dict | None:
        return incident.summary if incident.summary and leads(self, incident) else None


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class OperationalPeriodSerializer(serializers.ModelSerializer):
    incident = VisibleIncidentField()

    class Meta:
        model = OperationalPeriod
        fields = ["id", "incident", "number", *PERIOD_FIELDS, "created", "updated"]
        read_only_fields = ["id", "number", "created", "updated"]


# "ResourceRequest" is the resources' own request body's component (COMPONENT_SPLIT_REQUEST).
@extend_schema_serializer(component_name="IncidentResourceRequest")
class ResourceRequestSerializer(serializers.ModelSerializer):
    incident = VisibleIncidentField()
    organization = VisibleOrganizationField(help_text="The requesting organization, at the incident's table.")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    reference = serializers.CharField(read_only=True, help_text="`<community>-<incident>-<number>`.")
    accepted_terms = serializers.ListField(
        child=serializers.ChoiceField(choices=SharingTerms.choices),
        allow_empty=False,
        max_length=len(SharingTerms.choices),
        required=False,
        help_text="The sharing terms the requester accepts; all of them when left out.",
    )
    submit = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="On creation: submit it at once instead of keeping a draft.",
    )

    class Meta:
        model = ResourceRequest
        fields = [
            "id", "incident", "organization", "organization_name", "number", "reference", *REQUEST_FIELDS,
            "state", "state_reason", "submitted_at", "approved_at", "filled_at", "submit", "created", "updated",
        ]  # fmt: skip
        read_only_fields = [
            "id", "number", "state", "state_reason", "submitted_at", "approved_at", "filled_at", "created",
            "updated",
        ]  # fmt: skip


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why: required to cancel a request, mark it unfilled, or decline an assignment.",
    )


class AssignmentSerializer(serializers.ModelSerializer):
    incident = serializers.IntegerField(source="request.incident_id", read_only=True)
    request_reference = serializers.CharField(source="request.reference", read_only=True)
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    organization = serializers.IntegerField(
        source="resource.organization_id", read_only=True, help_text="The resource's owner."
    )
    organization_name = serializers.CharField(source="resource.organization.name", read_only=True)
    unit = serializers.CharField(source="request.unit", read_only=True)
    is_late = serializers.BooleanField(read_only=True, help_text="It arrives after the request's needed-by.")

    class Meta:
        model = Assignment
        fields = [
            "id", "incident", "plan", "request", "request_reference", "resource", "resource_name", "organization",
            "organization_name", "quantity", "unit", "state", "distance_m", "arrives_at", "is_late",
            "committed_at", "decided_at", "reason", "released_at", "created", "updated",
        ]  # fmt: skip
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    """The latest plan: its assignments the requester may see, and its figures for the leadership."""

    assignments = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField(
        help_text="The optimal plan's figures beside the greedy baseline's (units served by priority, total "
        "distance); for the incident's leadership only."
    )

    class Meta:
        model = Plan
        fields = ["id", "incident", "created", "reason", "figures", "assignments"]
        read_only_fields = fields

    @extend_schema_field(NULLABLE_OBJECT)
    def get_figures(self, plan) -> dict | None:
        return plan.figures if leads(self, plan.incident) else None

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, plan) -> list:
        return AssignmentSerializer(self.context["assignments"], many=True).data


class TimelineEntrySerializer(serializers.ModelSerializer):
    incident = VisibleIncidentField()
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    author_name = serializers.SerializerMethodField()
    tlp = serializers.ChoiceField(choices=ORGANIZATION_MARKINGS, default=TLP.AMBER)
    recipient_organizations = VisibleOrganizationField(many=True, required=False)

    class Meta:
        model = TimelineEntry
        fields = [
            "id", "incident", "kind", "at", "organization", "organization_name", "author_name", "text", "tlp",
            "recipient_organizations", "created",
        ]  # fmt: skip
        read_only_fields = ["id", "kind", "at", "organization", "created"]

    def get_author_name(self, entry) -> str:
        return str(entry.author) if entry.author_id else ""


class AlertSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    xml_url = serializers.SerializerMethodField(help_text="The CAP 1.2 XML of the alert.")

    class Meta:
        model = Alert
        fields = [
            "id", "community", "incident", "organization", "msg_type", "identifier", "sent", "headline", "tlp",
            "xml_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_xml_url(self, alert) -> str:
        return reverse("api:alert-detail", kwargs={"pk": alert.pk, "format": "xml"})
