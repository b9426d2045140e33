from functools import partial

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from ..counting import CountedPaginator


class StandardPagination(PageNumberPagination):
    """Pages of 25 (up to 200); a view may give `known_count(queryset)` to spare the COUNT(*).

    The envelope says `count_is_estimate` when the list was too long to count exactly.
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        known_count = getattr(view, "known_count", None)
        self.django_paginator_class = partial(
            CountedPaginator, known_count=known_count(queryset) if known_count else None
        )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "The count is an estimate: the list was too long to count exactly.",
        }
        return schema
