import django_filters

from .models import NetworkSnapshot


class NetworkSnapshotFilterSet(django_filters.FilterSet):
    community = django_filters.CharFilter(field_name="community__slug")
    month = django_filters.DateFilter(field_name="month")

    class Meta:
        model = NetworkSnapshot
        fields = ["community", "month"]
