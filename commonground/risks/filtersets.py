import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.filtersets import (
    ChoiceFilter,
    IdFilter,
    ShallowCopyFilterSet,
    api_list_url,
    choose_by_name,
)
from commonground.core.kept_pages import name_list
from commonground.core.tlp import ORGANIZATION_MARKINGS
from commonground.core.widgets import NumberInput
from commonground.registry.choices import Sector

from .choices import HazardKind, Lifeline
from .models import CriticalFunction, Hazard, HazardAssessment
from .selectors import hazard_list


def choose_hazard(filterset: django_filters.FilterSet, *, viewer, community) -> None:
    """Offer the community's hazards (the catalogue and its own) by name in the filter `hazard`."""
    hazards = name_list(
        hazard_list(viewer=viewer, community=community), ("hazard list", viewer, community.pk)
    )
    choose_by_name(filterset, "hazard", hazards, search_url=api_list_url("api:hazard-list", community))


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


class AssessmentFilterSet(ShallowCopyFilterSet):
    """The assessments list's filters; its selects and number input drawn in Python (`core.widgets`)."""

    # The hazard's and the organization's labels are django-filter's, read in each request's language
    # (`core.filtersets.lazy_label`).
    hazard = IdFilter(field_name="hazard_id")
    organization = IdFilter(field_name="organization_id")
    sector = ChoiceFilter(field_name="organization__sector", choices=Sector.choices, label=_("Sector"))
    kind = ChoiceFilter(field_name="hazard__kind", choices=HazardKind.choices, label=_("Kind of hazard"))
    tlp = ChoiceFilter(choices=ORGANIZATION_MARKINGS, label=_("Marking"))
    min_likelihood = django_filters.NumberFilter(field_name="likelihood", lookup_expr="gte", min_value=1, max_value=5, label=_("Likelihood at least"), widget=NumberInput)  # fmt: skip
    names_its_list = True  # every filter reads its own cleaned value alone

    class Meta:
        model = HazardAssessment
        fields = ["hazard", "organization", "sector", "kind", "tlp", "min_likelihood"]


class CriticalFunctionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    organization = IdFilter(field_name="organization_id")
    serves_community = django_filters.BooleanFilter(label=_("The community relies on it"))

    class Meta:
        model = CriticalFunction
        fields = ["q", "organization", "serves_community"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
