from functools import partial

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination


class CountedPaginator(Paginator):
    """A paginator that takes the number of rows when a cheaper query than COUNT(*) over the list knows it."""

    def __init__(self, object_list, per_page, *, known_count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if known_count is not None:
            self.__dict__["count"] = known_count  # `count` is a cached_property


class StandardPagination(PageNumberPagination):
    """Pages of 25 (up to 200); a view may give `known_count(queryset)` to spare the COUNT(*)."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        known_count = getattr(view, "known_count", None)
        self.django_paginator_class = partial(
            CountedPaginator, known_count=known_count(queryset) if known_count else None
        )
        return super().paginate_queryset(queryset, request, view)
