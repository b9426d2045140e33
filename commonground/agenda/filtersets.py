import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.filtersets import ChoiceFilter, IdFilter, ShallowCopyFilterSet
from commonground.core.widgets import TextInput

from .choices import ISSUE_MARKINGS, IssueStatus, MissionArea
from .models import Issue


class IssueFilterSet(ShallowCopyFilterSet):
    """The issues list's filters; its selects and search input drawn in Python (`core.widgets`)."""

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100, widget=TextInput)
    status = ChoiceFilter(choices=IssueStatus.choices)
    mission_area = ChoiceFilter(choices=MissionArea.choices)
    hazard = IdFilter(field_name="hazards", label=_("Hazard"))
    organization = IdFilter(field_name="organization_id", label=_("Proposed by"))
    tlp = ChoiceFilter(choices=ISSUE_MARKINGS, label=_("Marking"))

    names_its_list = True  # every filter reads its own cleaned value alone

    class Meta:
        model = Issue
        fields = ["q", "status", "mission_area", "hazard", "organization", "tlp"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(situation__icontains=value)
        )
