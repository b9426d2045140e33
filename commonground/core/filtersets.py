import django_filters
from django.contrib.contenttypes.models import ContentType

from .models import AuditAction, AuditEntry


class AuditEntryFilterSet(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id")
    organization = django_filters.NumberFilter(field_name="organization_id")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    model = django_filters.CharFilter(field_name="content_type__model", lookup_expr="iexact")
    actor = django_filters.CharFilter(field_name="actor_repr", lookup_expr="iexact")
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")

    class Meta:
        model = AuditEntry
        fields = ["community", "organization", "action", "model", "actor", "since"]

    @staticmethod
    def model_names() -> list[str]:
        return list(ContentType.objects.values_list("model", flat=True))
