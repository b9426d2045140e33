"""Keyset pages: a page read from where the last one ended, by the keys of its order, not by skipping rows.

An offset page (`LIMIT 25 OFFSET 50000`) makes the database read and test every row before it: page
2,000 of a state's organizations cost 69 ms on SQLite and 310 ms on PostgreSQL, against a few for the
first. A cursor holds the keys of the order (the name and id, say) of the row a page ends at; the next
page is the rows after it, which both engines find by seeking in the index of that order.

Only an order whose every key is a non-null column (through non-null relations) has a keyset; the key
is made unique with the primary key. Any other order (a nullable column, an expression, random) pages
by offset as before. A cursor names the order it was made for: given to another, it is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import OrderBy
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

KEY = "keyset_{}"
FORWARD, BACKWARD = "after", "before"


class InvalidCursor(ValueError):
    """A cursor that is not one this list made: the message says so to the user."""


@dataclass(frozen=True)
class Cursor:
    direction: str  # "after": the rows after `values`; "before": the rows before them
    values: tuple


def _field_path(model, path: str):
    """Return the last field of a lookup path if no field along it may be null, else None."""
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if (
            field.null
            or field.many_to_many
            or field.one_to_many
            or (field.is_relation and not field.many_to_one)
        ):
            return None
        if field.is_relation:
            model = field.related_model
    # A relation itself orders by its model's own order, not by its key: no keyset.
    return None if field is None or field.is_relation else field


def _term(model, term):
    """Return (expression, descending) for one term of an order, or None where it has no keyset."""
    if isinstance(term, str):
        name, descending = term.lstrip("-"), term.startswith("-")
        if name == "?" or _field_path(model, name) is None:
            return None
        return F(name), descending
    if isinstance(term, OrderBy) and term.nulls_first is None and term.nulls_last is None:
        inner = term.expression
        # match_first's order: a non-null column as an expression, so that no index holds it.
        if isinstance(inner, Concat):
            parts = inner.get_source_expressions()[0].get_source_expressions()
            if (
                len(parts) == 2
                and isinstance(parts[0], F)
                and isinstance(parts[1], Value)
                and _field_path(model, parts[0].name) is not None
            ):
                return inner, term.descending
    return None


class Keyset:
    """The keys of a queryset's order, and the pages of it before and after a cursor."""

    def __init__(self, queryset: QuerySet, terms: list):
        self.queryset = queryset
        self.terms = terms  # [(expression, descending)], the primary key last

    @classmethod
    def of(cls, queryset) -> Keyset | None:
        """Return the keyset of a queryset's order, or None where it has none (page it by offset)."""
        if not isinstance(queryset, QuerySet):
            return None
        query = queryset.query
        if query.is_sliced or query.combinator or query.distinct or query.values_select:
            return None
        ordering = list(query.order_by) or (
            list(queryset.model._meta.ordering) if query.default_ordering else []
        )
        terms = [_term(queryset.model, term) for term in ordering]
        if any(term is None for term in terms):
            return None
        pk_name = queryset.model._meta.pk.name
        if not any(isinstance(e, F) and e.name in ("pk", pk_name) for e, _desc in terms):
            terms.append((F("pk"), False))
        return cls(queryset, terms)

    @property
    def signature(self) -> str:
        return hashlib.sha256(repr([(str(e), d) for e, d in self.terms]).encode()).hexdigest()[:8]

    def ordered(self, reverse: bool = False) -> QuerySet:
        """Return the queryset in its order made unique (reversed for the rows before a cursor), keys annotated."""
        keys = {KEY.format(i): expression for i, (expression, _desc) in enumerate(self.terms)}
        order = [
            (expression.desc() if descending != reverse else expression.asc())
            for expression, descending in self.terms
        ]
        return self.queryset.annotate(**keys).order_by(*order)

    def page(self, cursor: Cursor | None, size: int) -> tuple[list, bool]:
        """Return (rows, whether more rows lie beyond them in the cursor's direction), in the list's order."""
        backward = cursor is not None and cursor.direction == BACKWARD
        rows = self.ordered(reverse=backward)
        if cursor is not None:
            rows = rows.filter(self._beyond(cursor))
        rows = list(rows[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        return (rows[::-1] if backward else rows), more

    def _beyond(self, cursor: Cursor) -> Q:
        """The rows strictly past `cursor` in its direction; the first key's bound lets the index seek."""
        if len(cursor.values) != len(self.terms):
            raise InvalidCursor(_("This cursor belongs to another order of the list."))
        backward = cursor.direction == BACKWARD
        past = Q()
        equal = Q()
        for i, ((_expression, descending), value) in enumerate(zip(self.terms, cursor.values, strict=True)):
            lookup = "lt" if descending != backward else "gt"
            past |= equal & Q(**{f"{KEY.format(i)}__{lookup}": value})
            equal &= Q(**{KEY.format(i): value})
        first = "lte" if self.terms[0][1] != backward else "gte"
        return Q(**{f"{KEY.format(0)}__{first}": cursor.values[0]}) & past

    def cursor(self, row, direction: str) -> str | None:
        """Return the cursor of the rows after (or before) `row`, or None if one of its keys is blank."""
        values = [getattr(row, KEY.format(i), None) for i in range(len(self.terms))]
        if any(value is None for value in values):
            return None
        text = json.dumps([self.signature, direction, values], cls=DjangoJSONEncoder, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, text: str) -> Cursor | None:
        """Return the cursor a link carried (None for an empty one: the first page); InvalidCursor if not ours."""
        if not text:
            return None
        try:
            signature, direction, values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        except (ValueError, TypeError, binascii.Error):
            raise InvalidCursor(_("This cursor is not one this list gave.")) from None
        if (
            signature != self.signature
            or direction not in (FORWARD, BACKWARD)
            or not isinstance(values, list)
        ):
            raise InvalidCursor(_("This cursor belongs to another order of the list."))
        if len(values) != len(self.terms) or not all(isinstance(v, str | int | float) for v in values):
            raise InvalidCursor(_("This cursor is not one this list gave."))
        cursor = Cursor(direction, tuple(values))
        try:  # a value the key's column cannot hold (text for a number) is a bad cursor, not an error
            self.queryset.annotate(**self._keys()).filter(self._beyond(cursor))
        except (ValueError, TypeError, ValidationError):
            raise InvalidCursor(_("This cursor is not one this list gave.")) from None
        return cursor

    def _keys(self) -> dict:
        return {KEY.format(i): expression for i, (expression, _desc) in enumerate(self.terms)}


class KeysetPage(Page):
    """A page read by keyset: its neighbours are known from the rows, not from the (maybe estimated) count."""

    def __init__(self, object_list, number, paginator, *, has_next: bool, has_previous: bool):
        super().__init__(object_list, number, paginator)
        self._has_next, self._has_previous = has_next, has_previous

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self._has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return max(1, self.number - 1)

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


def page_after(paginator: Paginator, keyset: Keyset, cursor: Cursor, number) -> Page:
    """Return the page a cursor names, numbered `number` (as the link that carried it said; 1 if none)."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    rows, more = keyset.page(cursor, paginator.per_page)
    backward = cursor.direction == BACKWARD
    if backward and not more:
        number = 1  # the rows before reach the start of the list
    return with_cursors(
        KeysetPage(
            rows,
            number,
            paginator,
            has_next=True if backward else more,
            has_previous=more if backward else True,
        ),
        keyset,
    )


def with_cursors(page: Page, keyset: Keyset | None) -> Page:
    """Give a page the cursors of its neighbours (`next_cursor`, `previous_cursor`; None where there is none)."""
    page.next_cursor = page.previous_cursor = None
    if keyset is None:
        return page
    page.object_list = rows = list(page.object_list)
    if rows and page.has_next():
        page.next_cursor = keyset.cursor(rows[-1], FORWARD)
    if rows and page.has_previous():
        page.previous_cursor = keyset.cursor(rows[0], BACKWARD)
    return page
