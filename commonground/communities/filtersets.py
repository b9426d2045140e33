import django_filters
from django.db.models import Q

from commonground.core.filtersets import IdFilter

from .choices import US_STATES, CommunityKind
from .models import CoChair, Community, Membership


class CommunityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    state = django_filters.ChoiceFilter(choices=US_STATES)
    kind = django_filters.ChoiceFilter(choices=CommunityKind.choices)

    class Meta:
        model = Community
        fields = ["q", "state", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class MembershipFilterSet(django_filters.FilterSet):
    community = django_filters.CharFilter(field_name="community__slug")
    organization = IdFilter(field_name="organization_id")

    class Meta:
        model = Membership
        fields = ["community", "organization"]


class CoChairFilterSet(django_filters.FilterSet):
    community = django_filters.CharFilter(field_name="community__slug")

    class Meta:
        model = CoChair
        fields = ["community"]
