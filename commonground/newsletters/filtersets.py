import django_filters

from .models import Newsletter


class NewsletterFilterSet(django_filters.FilterSet):
    status = django_filters.CharFilter(field_name="status")

    class Meta:
        model = Newsletter
        fields = ["status"]
