from functools import partial

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ..kept_pages import KeptPaginator, list_name
from ..keyset import InvalidCursor, Keyset, page_after, with_cursors


class StandardPagination(PageNumberPagination):
    """Pages of 25 (up to 200); a view may give `known_count(queryset)` to spare the COUNT(*).

    The envelope says `count_is_estimate` when the list was too long to count exactly. Where the list's
    order has a keyset (`core.keyset`), `next` and `previous` carry a `cursor` beside the page number: a
    page given one is read from where its neighbour ended, so a deep page costs what the first does.
    `?cursor=` (empty) starts such a walk; a page number alone reads by offset, as before.
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        known_count = getattr(view, "known_count", None)
        sql_key = list_name(queryset)
        self.keyset = keyset = Keyset.of(queryset)
        if keyset is not None and sql_key is not None:
            sql_key = ("keyset order", sql_key)
        self.django_paginator_class = partial(
            KeptPaginator, known_count=known_count(queryset) if known_count else None, sql_key=sql_key
        )
        given = request.query_params.get(self.cursor_query_param)
        if given is not None and keyset is None:
            raise ValidationError(
                {self.cursor_query_param: [_("This list pages by number only in this order.")]}
            )
        if keyset is None:
            return super().paginate_queryset(queryset, request, view)
        queryset = keyset.ordered()
        if given:
            try:
                cursor = keyset.decode(given)
            except InvalidCursor as error:
                raise ValidationError({self.cursor_query_param: [str(error)]}) from None
            page_size = self.get_page_size(request)
            paginator = self.django_paginator_class(queryset, page_size)
            self.request = request
            self.display_page_controls = False
            self.page = page_after(paginator, keyset, cursor, request.query_params.get(self.page_query_param))
            return list(self.page)
        rows = super().paginate_queryset(queryset, request, view)
        if rows is None:
            return None
        self.page = with_cursors(self.page, keyset)
        return list(self.page)

    def get_next_link(self):
        return self._with_cursor(super().get_next_link(), getattr(self.page, "next_cursor", None))

    def get_previous_link(self):
        return self._with_cursor(super().get_previous_link(), getattr(self.page, "previous_cursor", None))

    def _with_cursor(self, link, cursor):
        if link is None:
            return None
        if cursor:
            return replace_query_param(link, self.cursor_query_param, cursor)
        return remove_query_param(link, self.cursor_query_param)

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

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts, from a `next` or `previous` link (empty: the first page). "
                "Deep pages read this way cost what the first does.",
                "schema": {"type": "string"},
            },
        ]
