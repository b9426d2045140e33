"""Helpers for the pages of every app."""

import copy
from collections.abc import Hashable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from commonground.core.counting import ListCount
from commonground.core.forms import PlaceFormMixin
from commonground.core.kept_pages import KeptPaginator, list_name
from commonground.core.keyset import InvalidCursor, Keyset, page_after, with_cursors
from commonground.core.tlp import TLP, narrowest


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's validation errors on the form, each on its field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages if target is None else item)
    else:
        form.add_error(None, error)


def record_marking(record) -> str:
    """Return the marking a record carries, read from the field its model's TLPOptions names."""
    options = getattr(type(record), "TLPOptions", None)
    return getattr(record, getattr(options, "marking", "tlp"))


class MarkedPageMixin:
    """Mark a page with the narrowest marking among the records it shows, at least `marking_floor`.

    The records are the context entry named by `marked_records` (a page, a list or one record).
    """

    marked_records = "page_obj"
    marking_floor = TLP.GREEN

    def shown_marking(self, record) -> str | None:
        """Return the marking a shown record brings to the page (None when its marked content is withheld)."""
        return record_marking(record)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = context.get(self.marked_records) or ()
        if not isinstance(records, (list, tuple)) and not hasattr(records, "object_list"):
            records = [records]
        shown = (self.shown_marking(record) for record in records)
        context["tlp_marking"] = narrowest([self.marking_floor, *(m for m in shown if m)])
        return context


class ServiceFormView(FormView):
    """A page whose form a service writes: the form edits its own copy, service errors land on its fields.

    A subclass names the service call in `service_call(form)` (returning the record written) and, when it
    edits a record, the record in `get_instance()`. The form changes only a copy of that record, so the
    service still holds the stored values to check against and to write in the audit entry.
    """

    success_message = ""
    # Pages where a refusal of the service is something the user may correct show it on the form.
    permission_errors_on_form = False

    def get_instance(self):
        return None

    def get_map_community(self):
        """Return the community whose base map a place's map draws (None: the whole country)."""
        return getattr(self, "community", None)

    def kept_choices(self) -> Hashable | None:
        """What the form's choices of records are made of, where the page promises that they are a function of it
        alone (the reader, the page's community and record; no clock, no request): they are then read by SQL kept
        under it when the form is drawn (`core.forms.choice_records`). None: compiled on each request."""
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        instance = self.get_instance()
        if instance is not None:
            kwargs["instance"] = copy.copy(instance)
        if self.request.method == "GET" and (kept := self.kept_choices()) is not None:
            # a posted form's choices are whole records (and drawn again only with its errors)
            kwargs["kept_choices"] = (type(self).__module__, type(self).__qualname__, kept)
        if issubclass(self.get_form_class(), PlaceFormMixin):
            kwargs["map_community"] = self.get_map_community()
        return kwargs

    @staticmethod
    def changed(form) -> dict:
        """Return the cleaned values of the fields the user changed."""
        return {name: form.cleaned_data[name] for name in form.changed_data}

    def service_call(self, form):
        raise NotImplementedError

    def get_success_message(self, record) -> str:
        return self.success_message

    def get_success_url(self):
        return self.object.get_absolute_url()

    def form_valid(self, form):
        try:
            self.object = self.service_call(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            if not self.permission_errors_on_form:
                raise
            form.add_error(None, str(error))
            return self.form_invalid(form)
        message = self.get_success_message(self.object)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url())


def paginate(request, queryset, per_page: int = 50, *, known_count: int | ListCount | None = None):
    """Return the page of a queryset named by ?page=, clamped to the pages that exist (a long list's count estimated).

    Where the list's order has a keyset (`core.keyset`), the page's links to its neighbours carry a cursor
    too, and a page given one is read from it instead of by skipping the rows before it: a deep page costs
    what the first does. A page number alone (typed, or a cursor no longer valid) still reads by offset.
    A list named by what it is made of (`core.kept_pages`) is read by SQL kept under its name.
    """
    sql_key = list_name(queryset)
    keyset = Keyset.of(queryset)
    if keyset is not None:
        queryset = keyset.ordered()
        sql_key = None if sql_key is None else ("keyset order", sql_key)
    paginator = KeptPaginator(queryset, per_page, known_count=known_count, sql_key=sql_key)
    if keyset is not None and request.GET.get("cursor"):
        try:
            cursor = keyset.decode(request.GET["cursor"])
        except InvalidCursor:
            cursor = None
        if cursor is not None:
            return page_after(paginator, keyset, cursor, request.GET.get("page"))
    return with_cursors(paginator.get_page(request.GET.get("page")), keyset)


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
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
