import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import HazardKind, Lifeline
from .models import Hazard


class HazardFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    kind = django_filters.ChoiceFilter(choices=HazardKind.choices)
    lifeline = django_filters.ChoiceFilter(
        choices=Lifeline.choices, method="filter_lifeline", label=_("Lifeline")
    )
    national_risk_index = django_filters.BooleanFilter()

    class Meta:
        model = Hazard
        fields = ["q", "kind", "lifeline", "national_risk_index"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def filter_lifeline(self, queryset, name, value):
        # JSON containment differs by database; the list is short, so match the quoted code in its text.
        return queryset.filter(lifelines__icontains=f'"{value}"')
