"""Filters every app's lists share: whole-number ids, selects drawn in Python, an id filter shown as a select of names."""

import copy
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_filters.filters import QuerySetRequestMixin
from django_filters.utils import label_for_filter

from .counting import compiled
from .kept_pages import list_name, name_list
from .models import AuditAction, AuditEntry
from .widgets import NullBooleanSelect, Select


class IdFilter(django_filters.NumberFilter):
    """A whole-number filter within the database's integer range: bad input is a 400, never an overflow."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class ShallowCopyFilterSet(django_filters.FilterSet):
    """A filterset that copies its filters for each request one level deep, not wholly.

    django-filter deep-copies every filter, with its choices and their lazy labels, for each list
    request: a sixth of the organization list API's time in Python. A filter's own state is its
    `extra` options (copied here) and its form field (made afresh for each copy); the choices and
    labels it shares with the class are never written.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        base_filters = self.base_filters
        try:
            self.base_filters = {}  # the deep copy in django-filter's __init__ copies nothing
            super().__init__(data, queryset, request=request, prefix=prefix)
        finally:
            del self.base_filters  # the class's again
        model = self.queryset.model
        self.filters = {}
        for name, base in base_filters.items():
            filter_ = copy.copy(base)
            filter_.__dict__.pop("_field", None)
            filter_.extra = dict(base.extra)
            if base.method is not None:  # its FilterMethod calls the filterset of the filter it was made for
                filter_.method = base.method
            filter_.model, filter_.parent = model, self
            self.filters[name] = filter_

    # Whether the filtered list is a function of the list filtered and the cleaned values alone (no filter reads
    # the request, the clock or anything else): a named list (`core.kept_pages`) is then named again once
    # filtered, by the filterset, the list's name and the cleaned values, so that its pages' SQL is kept.
    names_its_list = False
    # How a filter chose to read the rows, where it chooses as it runs (a text search: from a table of words or
    # from the text index, by how common its words are): part of the list's name, since it changes the SQL,
    # though never the rows.
    read_way: str | None = None

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            listed = list_name(self.queryset)
            filtered = super().qs
            if self.names_its_list and listed is not None:
                if not self.is_bound:
                    name_list(filtered, (type(self), listed, None))
                elif not self.errors:
                    cleaned = tuple(sorted((k, _frozen(v)) for k, v in self.form.cleaned_data.items()))
                    name_list(filtered, (type(self), listed, cleaned, self.read_way))
        return self._qs

    def get_form_class(self):
        """Return the form class, made once for the filterset class: its fields are the same for every request.

        django-filter makes a new form class, and each of its fields, for every request (a tenth of a list
        request's time); the form copies its class's fields for itself, so a page that changes a field of
        its form (`choose_by_name`) changes only its own. A filter whose field depends on the request
        (a queryset of choices read for it) makes the class anew each time, as django-filter does.
        """
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            for filter_ in self.filters.values():
                if filter_._label is None:  # django-filter would put the model field's name in this language
                    filter_.label = lazy_label(filter_)
            form_class = super().get_form_class()
            if not any(isinstance(f, QuerySetRequestMixin) for f in self.filters.values()):
                cls._form_class = form_class
        return form_class


def _frozen(value):
    """A cleaned value as a key holds it: a list (an order's fields, several choices) as a tuple."""
    return tuple(_frozen(item) for item in value) if isinstance(value, list | tuple) else value


def lazy_label(filter_: django_filters.Filter):
    """The label django-filter gives a filter without one, read in the language of each request that draws it."""
    model, name, lookup, exclude = filter_.model, filter_.field_name, filter_.lookup_expr, filter_.exclude
    return lazy(lambda: label_for_filter(model, name, lookup, exclude), str)()


class ChoiceFilter(django_filters.ChoiceFilter):
    """A choice filter whose select a page draws in Python (`core.widgets`), the same HTML as Django's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", Select)
        super().__init__(*args, **kwargs)


class BooleanFilter(django_filters.BooleanFilter):
    """A yes/no/unknown filter whose select a page draws in Python (`core.widgets`), the same HTML as Django's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", NullBooleanSelect)
        super().__init__(*args, **kwargs)


class NameChoices(BaseChoiceIterator):
    """The (id, name) choices of a queryset, read when the select is drawn, so an API list never pays for them.

    A queryset named by what it is made of (`core.kept_pages.name_list`) is read by SQL kept under its name: the
    key and the label are plain columns, which the database's driver gives as the ORM would."""

    def __init__(self, queryset: QuerySet, label_field: str = "name"):
        self.queryset, self.label_field = queryset, label_field

    def __iter__(self):
        yield "", _("Any")
        queryset, label = self.queryset, self.label_field
        name = list_name(queryset)
        if name is None:
            yield from queryset.order_by(label, "pk").values_list("pk", label)
            return
        try:
            sql, params = compiled(
                lambda: queryset.order_by(label, "pk").values_list("pk", label),
                ("name choices", name, label),
                queryset.db,
            )
        except EmptyResultSet:
            return
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            yield from cursor.fetchall()


def choose_by_name(
    filterset: django_filters.FilterSet, name: str, queryset: QuerySet, search_url: str = ""
) -> None:
    """Show the id filter `name` of a page's filterset as a select of the names in `queryset`.

    `queryset` is what the viewer may see (a selector's answer), so no other name is offered; the filter
    still takes any id, as the API's does. `search_url`, an API list answering `q`, lets the page's script
    narrow a long select as the reader types; without the script the select works alone.
    """
    field = filterset.form.fields[name]
    attrs = {"class": "usa-select"}
    if search_url:
        attrs.update(
            {
                "data-search-url": search_url,
                "data-search-label": _("%(name)s: type to narrow the list") % {"name": field.label or name},
            }
        )
    field.widget = Select(attrs=attrs, choices=NameChoices(queryset))


def api_list_url(name: str, community) -> str:
    """Return an API list's address narrowed to one community, for a select's search."""
    return f"{reverse(name)}?{urlencode({'community': community.slug})}"


class AuditEntryFilterSet(ShallowCopyFilterSet):
    community = IdFilter(field_name="community_id", label=_("Community"))
    organization = IdFilter(field_name="organization_id", label=_("Organization"))
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    model = django_filters.CharFilter(field_name="content_type__model", lookup_expr="iexact")
    actor = django_filters.CharFilter(field_name="actor_repr", lookup_expr="iexact")
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")

    names_its_list = True  # every filter reads its own cleaned value alone

    class Meta:
        model = AuditEntry
        fields = ["community", "organization", "action", "model", "actor", "since"]
