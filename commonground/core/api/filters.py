from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend for lists, which leaves the queryset as it is when the request names no filter.

    Building and validating a filterset's form costs more than the rest of a plain list request. A single
    record (retrieve, update, delete, a detail action) is found by its key alone: a filterset may turn a list
    into something other than a queryset (the resources' distance search ranks them), which no lookup reads.
    """

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "detail", False):
            return queryset
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            _names_filter(parameter, filterset_class.base_filters) for parameter in request.query_params
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


def _names_filter(parameter: str, filters) -> bool:
    # A filter may read several parameters named after it (a range's `<name>_min` and `<name>_max`).
    return parameter in filters or any(parameter.startswith(f"{name}_") for name in filters)
