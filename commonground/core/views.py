"""Helpers for the pages of every app."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's validation errors on the form, each on its field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages if target is None else item)
    else:
        form.add_error(None, error)


def paginate(request, queryset, per_page: int = 50):
    """Return the page of a queryset named by ?page=, clamped to the pages that exist."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def health(request):
    """Answer 'ok' without touching the database: for load balancers, and the benchmarks' trivial view."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    """Answer a missing page: JSON under /api/, the site's own page elsewhere."""
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)
