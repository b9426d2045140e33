"""The credential program through the API: read by the members of its table, changed by its co-chairs."""

from rest_framework import mixins, serializers, viewsets

from commonground.core.api.fields import VisibleRelatedField
from commonground.core.api.viewsets import ServiceViewSetMixin
from commonground.registry.models import Organization

from .. import selectors, services
from ..choices import CredentialKind
from ..filtersets import ProgramFilterSet
from ..models import Program, RestrictedArea


class RestrictedAreaSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = RestrictedArea
        fields = ["id", "name", "polygon", "incident"]
        read_only_fields = fields


class ProgramSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    safety_organization = VisibleRelatedField(model=Organization)
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=CredentialKind.choices), allow_empty=False, max_length=10
    )
    areas = RestrictedAreaSummarySerializer(source="community.restricted_areas", many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id", "community", "safety_organization", "kinds", "standard_days", "virtual_days", "orientation",
            "areas", "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["created", "updated"]


class ProgramViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Each community's credential program: who approves, the kinds offered, the validity periods, the
    orientation and the restricted areas. The co-chairs change it (set it up on the program's page)."""

    serializer_class = ProgramSerializer
    filterset_class = ProgramFilterSet
    selector = selectors.program_list
    update_service = services.program_update
    record_argument = "program"
