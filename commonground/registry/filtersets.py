import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.counting import read_whole
from commonground.core.filtersets import (
    ChoiceFilter,
    IdFilter,
    ShallowCopyFilterSet,
    api_list_url,
    choose_by_name,
)
from commonground.core.textsearch import ordered_by_words
from commonground.core.tlp import TLP
from commonground.core.widgets import TextInput

from .choices import CATEGORY_CHOICES, CI_SECTOR_CHOICES, GovernmentLevel, PersonRole, Sector
from .models import Invitation, InvitationStatus, Organization, Person
from .search import match_first, matches_text, text_search
from .selectors import organization_list


def choose_organization(
    filterset: django_filters.FilterSet, *, viewer, community, name: str = "organization"
) -> None:
    """Offer the organizations at the community's table that the viewer may see, by name, in filter `name`."""
    organizations = organization_list(viewer=viewer, community=community)
    choose_by_name(
        filterset, name, organizations, search_url=api_list_url("api:organization-list", community)
    )


class OrganizationFilterSet(ShallowCopyFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=200)
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    category = django_filters.ChoiceFilter(choices=CATEGORY_CHOICES)
    level = django_filters.ChoiceFilter(choices=GovernmentLevel.choices)
    ci_sector = django_filters.ChoiceFilter(choices=CI_SECTOR_CHOICES)
    employees_min = django_filters.NumberFilter(
        field_name="employees", lookup_expr="gte", label=_("Employees at least")
    )
    employees_max = django_filters.NumberFilter(
        field_name="employees", lookup_expr="lte", label=_("Employees at most")
    )
    ordering = django_filters.OrderingFilter(fields=["name", "employees", "created", "sector", "category"])
    names_its_list = True  # every filter reads its own cleaned value alone

    class Meta:
        model = Organization
        fields = ["q", "sector", "category", "level", "ci_sector"]

    def filter_queryset(self, queryset):
        """Apply the filters; a text search in its order (`ordering` or the name's), the match run first, read
        whole where it is short (`core.counting.read_whole`: its count and its page from one read of its keys)."""
        queryset = super().filter_queryset(queryset)
        if matches_text(self.form.cleaned_data.get("q") or "") and not ordered_by_words(queryset.query):
            queryset = read_whole(
                match_first(queryset)
            )  # a search read from the head table pages as it reads
        return queryset

    def search(self, queryset, name, value):
        """Every word of the search, as the start of a word of the name, city or ZIP code (`registry.search`)."""
        searched = text_search(queryset, value)
        if searched is not None:
            self.read_way = "words" if ordered_by_words(searched.query) else "text index"
            return searched
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(zip_code__startswith=value)
        )


class PersonFilterSet(ShallowCopyFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), widget=TextInput)
    organization = IdFilter(field_name="organization_id")
    role = ChoiceFilter(choices=PersonRole.choices)
    contact_tlp = ChoiceFilter(choices=TLP.choices)

    class Meta:
        model = Person
        fields = ["q", "organization", "role", "contact_tlp"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(first_name__icontains=value) | Q(last_name__icontains=value) | Q(title__icontains=value)
            | Q(organization__name__icontains=value)
        )  # fmt: skip


class InvitationFilterSet(django_filters.FilterSet):
    community = django_filters.CharFilter(field_name="community__slug")
    status = django_filters.ChoiceFilter(choices=InvitationStatus.choices)

    class Meta:
        model = Invitation
        fields = ["community", "status"]
