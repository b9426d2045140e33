from functools import cached_property

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from commonground.core.filtersets import BooleanFilter, ChoiceFilter, IdFilter, ShallowCopyFilterSet
from commonground.core.places import PLACE_HELP, resolve_place
from commonground.core.tlp import TLP
from commonground.core.widgets import NumberInput, TextInput
from commonground.registry.choices import Sector

from .choices import CATEGORY_CHOICES, AgreementKind, Availability, CapabilityType, ResourceKind, SharingTerms
from .filter_form import FilterForm
from .kept_filters import filtered_list, validated_form
from .models import Agreement, Resource, stale_before
from .selectors import resource_search
from .spatial import Near, text_search

MAX_RADIUS_KM = 1000


class PointField(forms.CharField):
    """A place: a ZIP code, a "City, ST" or "LATITUDE,LONGITUDE" in decimal degrees, as a point."""

    widget = TextInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        return resolve_place(value)


@extend_schema_field(OpenApiTypes.STR)
class PointFilter(django_filters.Filter):
    field_class = PointField

    def filter(self, queryset, value):
        # The distance search runs after the other filters (ResourceFilterSet.filter_queryset).
        return queryset


class ResourceFilterSet(ShallowCopyFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=200, widget=TextInput)
    kind = ChoiceFilter(choices=ResourceKind.choices)
    category = ChoiceFilter(choices=CATEGORY_CHOICES)
    capability_type = ChoiceFilter(
        choices=CapabilityType.choices, method="filter_capability", label=_("Capability type at least")
    )
    availability = ChoiceFilter(choices=Availability.choices)
    terms = ChoiceFilter(choices=SharingTerms.choices)
    sector = ChoiceFilter(field_name="organization__sector", choices=Sector.choices, label=_("Owner sector"))
    organization = IdFilter(field_name="organization_id")
    capacity_min = django_filters.NumberFilter(
        field_name="capacity",
        lookup_expr="gte",
        label=_("Capacity at least"),
        min_value=0,
        max_value=1e12,
        widget=NumberInput,
    )
    capacity_unit = django_filters.CharFilter(
        field_name="capacity_unit",
        lookup_expr="iexact",
        max_length=20,
        label=_("Capacity unit"),
        widget=TextInput,
    )
    tlp = ChoiceFilter(choices=TLP.choices, label=_("Marking"))
    stale = BooleanFilter(method="filter_stale", label=_("Not verified lately"))
    near = PointFilter(
        label=_("Near (a ZIP code, a city and state, or coordinates)"), help_text=PLACE_HELP, max_length=200
    )
    radius_km = django_filters.NumberFilter(
        method="ignore", label=_("Within (km)"), min_value=0.001, max_value=MAX_RADIUS_KM, widget=NumberInput
    )

    class Meta:
        model = Resource
        form = FilterForm
        fields = [
            "q",
            "kind",
            "category",
            "capability_type",
            "availability",
            "terms",
            "sector",
            "organization",
        ]

    @property
    def qs(self):
        """The filtered list; named (`list_key`) when the list it filtered was, so that its SQL is kept.

        The name holds the list's, the filters applied and their values, and the date the staleness
        filter compares with: everything the filtered query is built from.
        """
        if not hasattr(self, "_qs"):
            self._naming = True  # filter_queryset is given self.queryset's own copy
            try:
                return super().qs
            finally:
                del self._naming
        return self._qs

    keeps_validation = (
        False  # the API's filters (ResourceApiFilterSet) keep their form's answer to valid input
    )

    @property
    def form(self):
        if not hasattr(self, "_form"):
            self._form = validated_form(self, self._new_form) if self.keeps_validation else self._new_form()
        return self._form

    def _new_form(self):
        form_class = self.get_form_class()
        if self.is_bound:
            return form_class(self.data, prefix=self.form_prefix)
        return form_class(prefix=self.form_prefix)

    def filter_queryset(self, queryset):
        """Apply the filters, then, when `near` is given, the distance search: nearest first, with distance_km.

        A named list's filtered query is made once for its name (`kept_filters`)."""
        key = self._list_key()
        circle = self.circle
        if key is not None and circle is None:
            filtered = filtered_list(key, lambda: super(ResourceFilterSet, self).filter_queryset(queryset))
        else:
            filtered = super().filter_queryset(queryset)
        return resource_search(filtered, circle, sql_key=key)

    def _list_key(self):
        listed = getattr(self.queryset, "list_key", None)
        if listed is None or not getattr(self, "_naming", False):
            return None
        key = (type(self), listed, tuple(sorted(self.form.cleaned_data.items())), self.stale_before)
        try:
            hash(key)
        except TypeError:  # a value that cannot be a key: the list is compiled each time
            return None
        return key

    def search(self, queryset, name, value):
        # A distance search orders by distance: the name order's way of reading a search is no use to it.
        return text_search(queryset, value, in_name_order=self.circle is None)

    def filter_capability(self, queryset, name, value):
        """Type 1 is the most capable: "at least type 2" means type 1 or 2."""
        return queryset.filter(capability_type__lte=int(value))

    @cached_property
    def stale_before(self):
        """The day the staleness filter compares with, read once: the filter and the list's SQL key both take
        it, so a request that runs across midnight keeps its SQL under the day it was built with."""
        return stale_before()

    def filter_stale(self, queryset, name, value):
        return queryset.stale(value, before=self.stale_before)

    def ignore(self, queryset, name, value):
        return queryset

    @property
    def circle(self) -> Near | None:
        """Return the circle of a distance search, or None; call after the filterset is valid."""
        data = self.form.cleaned_data
        if not data.get("near"):
            return None
        latitude, longitude = data["near"]
        return Near(latitude, longitude, float(data.get("radius_km") or 25))


class ResourceApiFilterSet(ResourceFilterSet):
    """The resource filters as the API reads them: it never draws their form, so the form's answer to valid input
    is kept for the same input (`kept_filters`)."""

    keeps_validation = True


class AgreementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Search"), max_length=200
    )
    kind = ChoiceFilter(choices=AgreementKind.choices)
    party = IdFilter(field_name="parties__id", label=_("Party"), distinct=True)
    resource = IdFilter(field_name="resources__id", label=_("Covers resource (id)"), distinct=True)

    class Meta:
        model = Agreement
        fields = ["q", "kind", "party", "resource"]
