import django_filters
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from commonground.core.filtersets import ChoiceFilter, IdFilter, ShallowCopyFilterSet
from commonground.core.widgets import TextInput

from .choices import ISSUE_MARKINGS, IssueStatus, MissionArea
from .models import Issue


def _label(name: str):
    """The label django-filter gives a model field's filter, kept lazy: the form class is made once."""
    return capfirst(Issue._meta.get_field(name).verbose_name)


class IssueFilterSet(ShallowCopyFilterSet):
    """The issues list's filters; its selects and search input drawn in Python (`core.widgets`)."""

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100, widget=TextInput)
    status = ChoiceFilter(choices=IssueStatus.choices, label=_label("status"))
    mission_area = ChoiceFilter(choices=MissionArea.choices, label=_label("mission_area"))
    hazard = IdFilter(field_name="hazards", label=_("Hazard"))
    organization = IdFilter(field_name="organization_id", label=_("Proposed by"))
    tlp = ChoiceFilter(choices=ISSUE_MARKINGS, label=_("Marking"))

    class Meta:
        model = Issue
        fields = ["q", "status", "mission_area", "hazard", "organization", "tlp"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(situation__icontains=value)
        )
