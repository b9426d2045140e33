"""Reads of the resource database: lists, the distance search, totals and what the partnership adds."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils.formats import number_format

from commonground.core.counting import KeysFirst, compiled
from commonground.core.kept_rows import kept_rows, visible_by_key
from commonground.core.tlp import TLP
from commonground.core.visibility import Viewer
from commonground.registry.choices import side_of
from commonground.registry.models import Organization, Person

from .choices import CATEGORY_CHOICES, ResourceKind
from .models import Agreement, Resource
from .short_lists import short_list
from .spatial import Near, NearestFirst


def resource_list(*, viewer: Viewer, community=None, related: bool = True) -> QuerySet[Resource]:
    """Return the resources the viewer may see, at one community when given, with what a list shows unless
    `related` is False (a list whose pages read their rows by key, `resource_pages`, reads none of it from here:
    copying it with each copy of the query cost the API list a tenth of a millisecond).

    The query is built once per viewer and community in each process and copied for each call: building
    the TLP conditions (and the incident disclosure's) cost a resource list request a fifth of its time.
    The key is the whole `Viewer` (frozen: every fact the conditions read) and the community's key; the
    conditions are SQL, so a kept query reads the rows as they are when it runs.
    """
    key = (viewer, None if community is None else community.pk, related)
    with _built_lists_lock:  # a server's threads share the kept lists
        built = _built_lists.get(key)
        if built is not None:
            _built_lists.move_to_end(key)
    if built is None:
        built = Resource.objects.visible_to(viewer)
        if community is not None:
            built = built.in_community(community)
        if related:
            built = _with_related(built)
        with _built_lists_lock:
            _built_lists[key] = built
            while len(_built_lists) > BUILT_LISTS_KEPT:
                _built_lists.popitem(last=False)
    listed = built.all()
    # What this very queryset is made of, for the pages that read it by a kept SQL (`resource_pages`): a copy
    # made from it (a filter, an order) is another query and carries no key.
    listed.list_key = ("resource_list", key)
    return listed


# The resource lists built in this process, by (viewer, community key, related); the least lately used go first.
_built_lists: OrderedDict[tuple, QuerySet[Resource]] = OrderedDict()
BUILT_LISTS_KEPT = 500
_built_lists_lock = threading.Lock()


def _with_related(queryset: QuerySet[Resource]) -> QuerySet[Resource]:
    """What a list shows of each resource: its holder's name, its community, who it is marked for (ids)."""
    return queryset.select_related("organization", "community").prefetch_related(
        Prefetch("recipient_organizations", queryset=Organization.objects.only("id")),
        Prefetch("recipient_people", queryset=Person.objects.only("id")),
    )


class PageRows:
    """A list page's rows by key, with what a list shows: one query where _with_related takes three.

    Its holder and community come joined, and who it is marked for (the recipients' keys, in their lists'
    order) as two columns of the same statement (`_recipient_columns`), set as the prefetch would set them, so
    `resource.recipient_organizations.all()` reads no more. The ORM's prefetch of the two relations cost
    about a sixth of a list request's CPU, and their own statement a round trip to the database.
    """

    def __init__(self, *, recipients: bool = True):
        self.recipients = recipients  # the page shows none: it reads no recipients

    def in_bulk(self, keys) -> dict:
        """Return the rows of the keys by key; their SQL is compiled once for each number of keys (it holds
        nothing but the keys: the list chose them, visibility included)."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        recipients = self.recipients
        found = kept_rows(
            ("resource page rows", recipients),
            lambda: _page_rows(keys, recipients=recipients),
            Resource.objects.db,
            values=keys,
        )
        rows = {resource.pk: resource for resource in found}
        if recipients:
            _set_read_recipients(rows)
        return rows


def _page_rows(keys: list, *, recipients: bool = False) -> QuerySet[Resource]:
    # No order: SQLite would walk the (name, id) index of the model's order to find 25 keys. Of the holder and
    # the community, only what a list shows (any other field is read when asked for): their other columns,
    # their times above all, cost a third of reading the page.
    rows = Resource.objects.select_related("organization", "community").only(
        *_RESOURCE_COLUMNS, "organization__name", "community__slug"
    )
    if recipients:
        rows = rows.annotate(**_recipient_columns())
    return rows.order_by().filter(pk__in=keys)


_RESOURCE_COLUMNS = [f.name for f in Resource._meta.concrete_fields]

# The columns of a page's rows that hold who each is marked for: (annotation, relation, model, order).
_RECIPIENTS = (
    ("_read_recipient_organizations", "recipient_organizations", Organization, ("name", "id")),
    ("_read_recipient_people", "recipient_people", Person, ("last_name", "first_name", "id")),
)


def _recipient_columns() -> dict:
    """The recipients' keys of each row, in their lists' order (the models' own), as a column of the rows'
    statement: an array on PostgreSQL, the keys joined by commas on SQLite (its group_concat keeps the order
    of the ordered subquery it reads, which SQLite never flattens into an aggregate)."""
    from django.db import connection
    from django.db.models import Field
    from django.db.models.expressions import RawSQL

    quote = connection.ops.quote_name
    resource = quote(Resource._meta.db_table)
    columns = {}
    for annotation, relation, model, order in _RECIPIENTS:
        through = getattr(Resource, relation).through._meta
        target = through.get_field(model._meta.model_name).column
        table = quote(model._meta.db_table)
        ordered = ", ".join(f"t.{quote(model._meta.get_field(name).column)}" for name in order)
        chosen = (
            f"SELECT t.{quote('id')} AS k FROM {quote(through.db_table)} r JOIN {table} t ON t.{quote('id')} ="
            f" r.{quote(target)} WHERE r.{quote(through.get_field('resource').column)} = {resource}.{quote('id')}"
            f" ORDER BY {ordered}"
        )
        if connection.vendor == "postgresql":
            sql = f"ARRAY({chosen})"
        else:
            sql = f"(SELECT group_concat(k) FROM ({chosen}))"
        columns[annotation] = RawSQL(sql, (), output_field=Field())
    return columns


def _set_read_recipients(rows: dict) -> None:
    """Set each row's recipients from the columns `_recipient_columns` read (a list, or SQLite's text)."""
    found = {}
    for resource_id, resource in rows.items():
        for annotation, _relation, model, _order in _RECIPIENTS:
            read = resource.__dict__.pop(annotation, None)
            if isinstance(read, str):
                read = [int(key) for key in read.split(",")]
            if read:
                found[(model, resource_id)] = read
    _set_prefetched(rows, found)


def _set_recipients(rows: dict) -> None:
    from django.db import connection

    organizations = Resource.recipient_organizations.through._meta.db_table
    people = Resource.recipient_people.through._meta.db_table
    marks = ", ".join(["%s"] * len(rows))
    found: dict[tuple, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT 0, r.resource_id, o.id, o.name, '', o.id FROM {organizations} r
                JOIN {Organization._meta.db_table} o ON o.id = r.organization_id WHERE r.resource_id IN ({marks})
                UNION ALL
                SELECT 1, r.resource_id, p.id, p.last_name, p.first_name, p.id FROM {people} r
                JOIN {Person._meta.db_table} p ON p.id = r.person_id WHERE r.resource_id IN ({marks})
                ORDER BY 1, 4, 5, 6""",
            [*rows, *rows],
        )
        for kind, resource_id, pk, *_order in cursor.fetchall():
            found[(Person if kind else Organization), resource_id].append(pk)
    _set_prefetched(rows, found)


def _set_prefetched(rows: dict, found: dict) -> None:
    """Set each row's two recipient relations as the prefetch would, from {(model, resource key): keys}."""
    # The page's lists of each relation share one blank query, which none of them writes (a queryset copies its
    # query before it changes it): making a query for each row and relation cost more than the rest of this.
    relations = [(name, model, model.objects.all()) for _annotation, name, model, _order in _RECIPIENTS]
    for resource_id, resource in rows.items():
        cache = resource.__dict__.setdefault("_prefetched_objects_cache", {})
        for name, model, blank in relations:
            listed = type(blank)(model=model, query=blank.query)
            keys = found.get((model, resource_id))
            listed._result_cache = [model(pk=pk) for pk in keys] if keys else []
            listed._prefetch_done = True
            cache[name] = listed


def visible_resource(*, viewer: Viewer, pk: int) -> Resource | None:
    """Return the resource of key `pk` if the viewer may see it (None if not), with its holder, its community and
    who it is marked for (the recipients' keys, as `PageRows` sets them).

    Read by SQL kept for the viewer, whatever the key (`core.kept_rows.visible_by_key`): building and compiling
    the visibility conditions for each key cost a resource's edit page a fifth of its CPU.
    """
    resource = visible_by_key(
        "visible resource",
        viewer,
        lambda: resource_list(viewer=viewer, related=False).select_related("organization", "community"),
        pk,
        Resource.objects.db,
    )
    if resource is not None:
        _set_recipients({resource.pk: resource})
    return resource


def resource_search(queryset: QuerySet[Resource], near: Near | None, *, sql_key=None):
    """Return a filtered list, nearest first within the circle when one is given (each with distance_km).

    `sql_key` names what the list is made of (`KeysFirst`): its SQL is then kept."""
    if near is None:
        if sql_key is not None:
            queryset.list_key = sql_key
        return queryset
    return NearestFirst(queryset, near, rows=PageRows(), sql_key=sql_key)


def resource_pages(results, *, recipients: bool = True):
    """Return a filtered list ready to paginate: each page's keys first, then its rows with what a list shows
    (without who each is marked for where `recipients` is False: the page shows them nowhere). A short list
    whose SQL is kept is read whole by its keys in one query, which counts it too (`short_lists`)."""
    rows = PageRows(recipients=recipients)
    if isinstance(results, NearestFirst):
        results.queryset = rows  # the distance search reads its pages by key already
        return results
    if not isinstance(results, QuerySet):
        return results
    sql_key = getattr(results, "list_key", None)
    if sql_key is not None and (short := short_list(results, sql_key, rows)) is not None:
        return short
    return KeysFirst(results, rows=rows, sql_key=sql_key)


def agreement_list(*, viewer: Viewer, community=None) -> QuerySet[Agreement]:
    """Return the agreements the viewer may see, with their parties and resources."""
    queryset = Agreement.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    return queryset.select_related("organization", "community").prefetch_related(
        "parties", "resources", "recipient_organizations"
    )


@dataclass
class CategoryCoverage:
    code: str
    label: str
    public: int = 0
    private: int = 0

    @property
    def private_only(self) -> bool:
        return self.private > 0 and self.public == 0

    @property
    def gap(self) -> bool:
        return self.private == 0 and self.public == 0


@dataclass
class Contribution:
    """What the private side adds to what public bodies hold, category by category."""

    categories: list[CategoryCoverage] = field(default_factory=list)
    marking: str = TLP.GREEN  # the narrowest marking among the resources counted

    @property
    def private_only(self) -> list[CategoryCoverage]:
        return [c for c in self.categories if c.private_only]

    @property
    def gaps(self) -> list[CategoryCoverage]:
        return [c for c in self.categories if c.gap]

    @property
    def both_sides(self) -> bool:
        return any(c.public for c in self.categories) and any(c.private for c in self.categories)


def partnership_contribution(*, viewer: Viewer, community) -> Contribution:
    """Count the resources each side holds per category, over the resources the viewer may see."""
    resources = resource_list(viewer=viewer, community=community)
    rows = resources.order_by().values("category", "organization__sector").annotate(n=Count("pk"))
    by_code = {code: CategoryCoverage(code, str(label)) for code, label in CATEGORY_CHOICES}
    for row in rows:
        coverage = by_code.get(row["category"])
        if coverage is None:
            continue
        if side_of(row["organization__sector"]) == "public":
            coverage.public += row["n"]
        else:
            coverage.private += row["n"]
    return Contribution(list(by_code.values()), marking=resources.narrowest_marking())


@dataclass(frozen=True)
class Quantity:
    """An amount in one unit: cases, gallons and pallets are never added together."""

    amount: float
    unit: str

    def __str__(self) -> str:
        amount = int(self.amount) if float(self.amount).is_integer() else round(self.amount, 2)
        return f"{number_format(amount, force_grouping=True)} {self.unit}".strip()


def resource_totals(*, viewer: Viewer, community) -> dict[str, list[Quantity]]:
    """Return, for each NIMS kind, the quantity in each unit the viewer may see; a person counts once.

    Units are matched whatever their case and spacing ("Cases " is "cases"); a blank unit counts items.
    """
    listed = resource_list(viewer=viewer, community=community)
    queryset = listed.order_by()
    totals: dict[str, dict[str, float]] = defaultdict(dict)
    spelling: dict[tuple[str, str], tuple[float, str]] = {}  # the unit as written where most is held
    # Both queries are made of the viewer's list and nothing else: their SQL is kept by its name (building and
    # compiling the visibility conditions twice cost the resource page more than running them).
    sums = _rows(
        lambda: (
            queryset.filter(person__isnull=True).values_list("kind", "unit").annotate(total=Sum("quantity"))
        ),
        ("totals", listed.list_key),
        queryset.db,
    )
    for kind, unit, total in sums:
        written, total = " ".join(unit.split()), total or 0
        key = written.lower()
        spelling[kind, key] = max(spelling.get((kind, key), (-1, "")), (total, written))
        totals[kind][key] = totals[kind].get(key, 0) + total
    people = _rows(
        lambda: (
            queryset.filter(kind=ResourceKind.PERSONNEL, person__isnull=False).values("person_id").distinct()
        ),
        ("people", listed.list_key),
        queryset.db,
        counted=True,
    )[0][0]
    if people:
        personnel = totals[ResourceKind.PERSONNEL]
        personnel[""] = personnel.get("", 0) + people
    return {
        kind: [
            Quantity(amount, spelling.get((kind, key), (0, key))[1])
            for key, amount in sorted(totals[kind].items(), key=lambda item: (-item[1], item[0]))
        ]
        for kind, _label in ResourceKind.choices
    }


def _rows(build, key, using: str, *, counted: bool = False) -> list[tuple]:
    """Return the rows (or, counted, the number of rows) of the query `build` makes, by its SQL kept under `key`."""
    from django.db import connections

    try:
        sql, params = compiled(build, key, using)
    except EmptyResultSet:
        return [(0,)] if counted else []
    if counted:
        sql = f"SELECT COUNT(*) FROM ({sql}) counted"
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
