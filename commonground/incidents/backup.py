"""What of the incidents a one-community backup holds."""

from commonground.core.backup import CommunityScope

from .models import Alert, Assignment, Incident, OperationalPeriod, Plan, ResourceRequest, TimelineEntry


def community_scope(scope: CommunityScope) -> dict:
    """Return the community's incidents and everything recorded in them."""
    community = scope["communities.Community"].get()
    incidents = Incident.objects.filter(community=community)
    return {
        "incidents.Incident": incidents,
        "incidents.OperationalPeriod": OperationalPeriod.objects.filter(incident__in=incidents),
        "incidents.ResourceRequest": ResourceRequest.objects.filter(incident__in=incidents),
        "incidents.Plan": Plan.objects.filter(incident__in=incidents),
        "incidents.Assignment": Assignment.objects.filter(request__incident__in=incidents),
        "incidents.TimelineEntry": TimelineEntry.objects.filter(incident__in=incidents),
        "incidents.Alert": Alert.objects.filter(incident__in=incidents),
    }
