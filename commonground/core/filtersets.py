import django_filters
from django import forms

from .models import AuditAction, AuditEntry


class IdFilter(django_filters.NumberFilter):
    """A whole-number filter within the database's integer range: bad input is a 400, never an overflow."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class AuditEntryFilterSet(django_filters.FilterSet):
    community = IdFilter(field_name="community_id")
    organization = IdFilter(field_name="organization_id")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    model = django_filters.CharFilter(field_name="content_type__model", lookup_expr="iexact")
    actor = django_filters.CharFilter(field_name="actor_repr", lookup_expr="iexact")
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")

    class Meta:
        model = AuditEntry
        fields = ["community", "organization", "action", "model", "actor", "since"]
