"""The filters of the incidents' lists: by community, incident, state and priority (the API's and the pages')."""

import django_filters
from django.utils.translation import gettext_lazy as _

from commonground.core.filtersets import IdFilter
from commonground.core.tlp import ORGANIZATION_MARKINGS
from commonground.resources.choices import CATEGORY_CHOICES, ResourceKind

from .choices import AlertType, AssignmentState, IncidentStatus, Priority, RequestState, TimelineKind
from .models import Alert, Assignment, Incident, OperationalPeriod, ResourceRequest, TimelineEntry

COMMITMENT_STATES = [
    (value, label)
    for value, label in AssignmentState.choices
    if value in (AssignmentState.ACCEPTED, AssignmentState.RELEASED)
]


def community_filter(field_name: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        field_name=field_name,
        max_length=100,
        label=_("Community (slug)"),
        help_text=_("Slug of a community."),
    )


class IncidentFilterSet(django_filters.FilterSet):
    """Incidents; `community` is read by the view (CommunityParameterMixin), which narrows through the selector."""

    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices)
    is_open = django_filters.BooleanFilter(method="filter_open", label=_("Active or stabilizing"))
    is_exercise = django_filters.BooleanFilter(label=_("Exercise"))
    hazard = IdFilter(field_name="hazard_id", label=_("Hazard"))
    organization = IdFilter(field_name="organization_id", label=_("Opened by (organization id)"))
    tlp = django_filters.ChoiceFilter(choices=ORGANIZATION_MARKINGS, label=_("Marking"))

    class Meta:
        model = Incident
        fields = ["status", "is_open", "is_exercise", "hazard", "organization", "tlp"]

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open().values("pk"))


class OperationalPeriodFilterSet(django_filters.FilterSet):
    community = community_filter("incident__community__slug")
    incident = IdFilter(field_name="incident_id", label=_("Incident"))

    class Meta:
        model = OperationalPeriod
        fields = ["community", "incident"]


class ResourceRequestFilterSet(django_filters.FilterSet):
    community = community_filter("incident__community__slug")
    incident = IdFilter(field_name="incident_id", label=_("Incident"))
    state = django_filters.MultipleChoiceFilter(choices=RequestState.choices)
    priority = django_filters.TypedChoiceFilter(choices=Priority.choices, coerce=int)
    organization = IdFilter(field_name="organization_id", label=_("Requesting organization"))
    kind = django_filters.ChoiceFilter(choices=ResourceKind.choices)
    category = django_filters.ChoiceFilter(choices=CATEGORY_CHOICES)

    class Meta:
        model = ResourceRequest
        fields = ["community", "incident", "state", "priority", "organization", "kind", "category"]


class AssignmentFilterSet(django_filters.FilterSet):
    community = community_filter("request__incident__community__slug")
    incident = IdFilter(field_name="request__incident_id", label=_("Incident"))
    request = IdFilter(field_name="request_id", label=_("Request"))
    resource = IdFilter(field_name="resource_id", label=_("Resource"))
    organization = IdFilter(field_name="resource__organization_id", label=_("Resource owner"))
    state = django_filters.MultipleChoiceFilter(choices=AssignmentState.choices)
    priority = django_filters.TypedChoiceFilter(
        field_name="request__priority", choices=Priority.choices, coerce=int
    )

    class Meta:
        model = Assignment
        fields = ["community", "incident", "request", "resource", "organization", "state", "priority"]


class CommitmentFilterSet(AssignmentFilterSet):
    state = django_filters.MultipleChoiceFilter(choices=COMMITMENT_STATES)


class TimelineEntryFilterSet(django_filters.FilterSet):
    community = community_filter("community__slug")
    incident = IdFilter(field_name="incident_id", label=_("Incident"))
    kind = django_filters.ChoiceFilter(choices=TimelineKind.choices)
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")

    class Meta:
        model = TimelineEntry
        fields = ["community", "incident", "kind", "since"]


class AlertFilterSet(django_filters.FilterSet):
    """Alerts; `community` is read by the view (CommunityParameterMixin)."""

    incident = IdFilter(field_name="incident_id", label=_("Incident"))
    msg_type = django_filters.ChoiceFilter(choices=AlertType.choices, label=_("Message type"))

    class Meta:
        model = Alert
        fields = ["incident", "msg_type"]
