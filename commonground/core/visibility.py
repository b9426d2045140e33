"""Who may see a record: the one place where the TLP table of DESIGN.md becomes a query.

Every page, API call, export and report reads through `VisibilityQuerySet.visible_to(viewer)`,
so the rule cannot differ between them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from .tlp import TLP, narrowest


@dataclass(frozen=True)
class Viewer:
    """What the visibility rules need to know about the person reading."""

    user_id: int | None = None
    is_facilitator: bool = False
    person_id: int | None = None
    organization_id: int | None = None
    is_organization_admin: bool = False
    community_ids: frozenset[int] = field(default_factory=frozenset)
    cochair_community_ids: frozenset[int] = field(default_factory=frozenset)
    # Return a subquery (or a list) of the ids of the organizations at the given communities' tables;
    # the domain apps give it, and it is only called when a rule needs it.
    organizations_at: Callable[[frozenset[int]], Any] = lambda community_ids: ()
    # (slug, key) of each community of `community_ids`, where the factory read them with the rest (None where it
    # did not): an API list narrowed by `?community=SLUG` finds its community among them, with no query.
    community_slugs: frozenset[tuple[str, int]] | None = None

    @property
    def peer_organization_ids(self) -> Any:
        """The organizations that share a community with the viewer."""
        return self.organizations_at(self.community_ids)

    @property
    def cochaired_organization_ids(self) -> Any:
        """The organizations of the communities the viewer co-chairs."""
        return self.organizations_at(self.cochair_community_ids)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def is_member_of(self, community_id: int) -> bool:
        return self.is_facilitator or community_id in self.community_ids

    def is_cochair_of(self, community_id: int) -> bool:
        return community_id in self.cochair_community_ids

    def community_key(self, slug: str) -> int | None:
        """The key of the community of this slug among the viewer's own (`community_slugs`), None where none of
        theirs has it. Only for a viewer whose slugs were read and who sees no other community (no facilitator:
        ask `knows_its_communities` first)."""
        return next((key for known, key in self.community_slugs or () if known == slug), None)

    @property
    def knows_its_communities(self) -> bool:
        """Whether `community_key` answers for every community the viewer may open: their slugs were read, and
        the viewer opens no community but their own (`Community.visible_to`: all, for a facilitator)."""
        return self.community_slugs is not None and not self.is_facilitator


ANONYMOUS = Viewer()


def viewer_facts(viewer: Viewer) -> tuple:
    """Every field of the viewer: the visibility rules are a function of these alone, so what is kept for one
    reader (compiled SQL, figures, rows) is kept under them and no two readers who may see different records
    share it. A key within this process (the domain apps' `organizations_at` is one function for all)."""
    return tuple(getattr(viewer, f.name) for f in dataclasses.fields(viewer))


def reader_key(viewer: Viewer) -> str:
    """`viewer_facts` as a short text, the same in every process: a key in the shared cache. The facts that
    are data (not `organizations_at`, which the facts beside it decide) in a fixed order."""
    facts = [
        sorted(value) if isinstance(value, frozenset) else value
        for value in viewer_facts(viewer)
        if not callable(value)
    ]
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


class VisibilityQuerySet(models.QuerySet):
    """A queryset for records that carry a TLP marking and belong to an owning organization.

    A model opts in with `objects = VisibilityQuerySet.as_manager()` (or a subclass) and names its
    fields in `TLPOptions` on the model: `marking`, `owner` (the owning organization), and optionally
    `recipient_organizations` (a many-to-many, or a tuple of them), `recipient_people`, `person` (the person a record is
    about, who may always see it; "self" on the Person model itself) and `community` (the community a
    record belongs to: its members are the TLP:GREEN audience and its co-chairs are in the TLP:AMBER
    one; without it, those are the communities the owning organization sits in).
    """

    def _options(self) -> dict[str, str | None]:
        opts = getattr(self.model, "TLPOptions", None)
        return {
            "marking": getattr(opts, "marking", "tlp"),
            "owner": getattr(opts, "owner", "organization"),
            "recipient_organizations": getattr(opts, "recipient_organizations", None),
            "recipient_people": getattr(opts, "recipient_people", None),
            "person": getattr(opts, "person", None),
            "community": getattr(opts, "community", None),
            "marked_fields": getattr(opts, "marked_fields", None),
        }

    def _through(self, relation: str) -> tuple[type[models.Model], str, str]:
        """A many-to-many recipients relation's table, and its keys to this model and to the recipient."""
        through = getattr(self.model, relation).through
        own_fk = next(f.name for f in through._meta.fields if f.related_model is self.model)
        other_fk = next(
            f.name
            for f in through._meta.fields
            if f.is_relation and f.related_model is not self.model and f.name != "id"
        )
        return through, own_fk, other_fk

    def _recipient_exists(self, relation: str, target_id: int) -> Q:
        if ":" in relation:
            # "accessor:column": rows of a one-to-many table that hold the recipients' ids as plain numbers.
            accessor, column = relation.split(":")
            remote = getattr(self.model, accessor).field
            return Q(Exists(remote.model.objects.filter(**{remote.name: OuterRef("pk"), column: target_id})))
        through, own_fk, other_fk = self._through(relation)
        return Q(Exists(through.objects.filter(**{own_fk: OuterRef("pk"), f"{other_fk}_id": target_id})))

    def narrowest_marking(self, floor: str = TLP.GREEN) -> str:
        """Return the marking of a view that shows these records: the narrowest of theirs, at least `floor`."""
        marking = self._options()["marking"]
        return narrowest([floor, *self.order_by().values_list(marking, flat=True).distinct()])

    def tlp_q(self, viewer: Viewer) -> Q:
        """Return the condition under which the viewer may see a record's marked content.

        Each audience's condition is written once: TLP:AMBER and TLP:AMBER+STRICT share the owner's and the
        named recipients' terms, and a term that can hold for no record (the viewer has no organization, no
        community, no person) is left out rather than compiled as an empty IN. Django compiles this condition
        into every query that reads a marked record, so its size is paid on every page."""
        opts = self._options()
        marking, owner = opts["marking"], opts["owner"]
        if not viewer.is_authenticated:
            return Q(**{marking: TLP.CLEAR})
        owner_id = f"{owner}_id"
        own = Q(**{owner_id: viewer.organization_id}) if viewer.organization_id else None
        named_org = None
        if viewer.organization_id:
            relations = opts["recipient_organizations"] or ()
            for relation in (relations,) if isinstance(relations, str) else relations:
                named_org = _or(named_org, self._recipient_exists(relation, viewer.organization_id))
        named_person = None
        if opts["recipient_people"] and viewer.person_id:
            named_person = self._recipient_exists(opts["recipient_people"], viewer.person_id)
        if opts["person"] and viewer.person_id:
            person_field = "pk" if opts["person"] == "self" else f"{opts['person']}_id"
            named_person = _or(named_person, Q(**{person_field: viewer.person_id}))

        if viewer.is_facilitator:
            # Facilitators are in every TLP:GREEN and TLP:AMBER audience.
            shown, green, cochairs = [TLP.CLEAR, TLP.GREEN, TLP.AMBER], None, None
        else:
            shown = [TLP.CLEAR]
            green, cochairs = self._audiences(viewer, opts["community"], owner_id)
        terms = [_marked(marking, shown, Q())]
        # The owning organization sees every marking but TLP:RED; named recipients see TLP:AMBER and
        # TLP:AMBER+STRICT (and TLP:GREEN only as members).
        terms.append(
            _marked(marking, [m for m in (TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT) if m not in shown], own)
        )
        terms.append(
            _marked(marking, [m for m in (TLP.AMBER, TLP.AMBER_STRICT) if m not in shown], named_org)
        )
        terms.append(_marked(marking, [TLP.GREEN], green))
        terms.append(_marked(marking, [TLP.AMBER], cochairs))
        # The person a record is about sees it whatever its marking; other named people see TLP:RED.
        terms.append(named_person if opts["person"] else _marked(marking, [TLP.RED], named_person))
        condition = None
        for term in terms:
            condition = _or(condition, term)
        return condition

    def _community_optional(self, community: str) -> bool:
        return self.model._meta.get_field(f"{community}_id").null

    def _audiences(self, viewer: Viewer, community: str | None, owner_id: str) -> tuple[Q | None, Q | None]:
        """Return, besides the owning organization and the named recipients, who sees TLP:GREEN records (the
        members of the record's community) and TLP:AMBER ones (its co-chairs): None for nobody.

        A record with a community takes them from it, as plain lists of the viewer's few communities (no
        subquery over every organization at the table); one without (or a model without the field) from
        every community its owning organization sits in."""
        by_community = by_owner = (None, None)
        if community:
            community_id = f"{community}_id"
            by_community = (
                Q(**{f"{community_id}__in": sorted(viewer.community_ids)}) if viewer.community_ids else None,
                Q(**{f"{community_id}__in": sorted(viewer.cochair_community_ids)})
                if viewer.cochair_community_ids
                else None,
            )
            if not self._community_optional(community):
                return by_community
        by_owner = (
            _owned_by(owner_id, viewer.peer_organization_ids) if viewer.community_ids else None,
            _owned_by(owner_id, viewer.cochaired_organization_ids) if viewer.cochair_community_ids else None,
        )
        if not community:
            return by_owner
        has_community = Q(**{f"{community}_id__isnull": False})
        return tuple(
            _or(
                has_community & by_community[i] if by_community[i] is not None else None,
                ~has_community & by_owner[i] if by_owner[i] is not None else None,
            )
            for i in range(2)
        )

    def visible_to(self, viewer: Viewer) -> VisibilityQuerySet:
        """Return the records whose marking lets the viewer see them."""
        return self.filter(self.tlp_q(viewer))

    def named_parties(self, pks: Iterable[int]) -> tuple[set[int], set[int]] | None:
        """Return the organizations and people these records name where `tlp_q` compares the viewer's own
        (owner, recipient organizations, recipient people, the person it is about): a reader whose organization
        and person are named by none of them sees of them what a reader with neither sees. None where a
        subclass decides visibility its own way, so a caller must ask each reader."""
        if type(self).visible_to is not VisibilityQuerySet.visible_to or type(self).tlp_q is not (
            VisibilityQuerySet.tlp_q
        ):
            return None
        opts, pks = self._options(), list(pks)
        rows = self.model._base_manager.filter(pk__in=pks)
        organizations = set(rows.values_list(f"{opts['owner']}_id", flat=True))
        people: set[int] = set()
        relations = opts["recipient_organizations"] or ()
        for relation in (relations,) if isinstance(relations, str) else relations:
            organizations |= self._recipient_ids(relation, pks)
        if opts["recipient_people"]:
            people |= self._recipient_ids(opts["recipient_people"], pks)
        if opts["person"]:
            people |= (
                set(pks)
                if opts["person"] == "self"
                else set(rows.values_list(f"{opts['person']}_id", flat=True))
            )
        return {o for o in organizations if o is not None}, {p for p in people if p is not None}

    def _recipient_ids(self, relation: str, pks: list[int]) -> set[int]:
        """Return the ids a recipient relation (as `_recipient_exists` reads it) holds for these records."""
        if ":" in relation:
            accessor, column = relation.split(":")
            remote = getattr(self.model, accessor).field
            return set(
                remote.model.objects.filter(**{f"{remote.name}__in": pks}).values_list(column, flat=True)
            )
        through, own_fk, other_fk = self._through(relation)
        return set(through.objects.filter(**{f"{own_fk}__in": pks}).values_list(f"{other_fk}_id", flat=True))

    def seen_by(self, pk: int, viewers: Iterable[Viewer]) -> set[Viewer]:
        """Return those of these viewers whose `visible_to` holds the record `pk` (a subclass's rule included), by
        one query: one column for each distinct reader (readers with the same facts see the same records)."""
        distinct = list(dict.fromkeys(viewers))
        if not distinct:
            return set()
        columns = {
            f"seen_{i}": Exists(self.visible_to(viewer).filter(pk=OuterRef("pk")))
            for i, viewer in enumerate(distinct)
        }
        row = self.filter(pk=pk).annotate(**columns).values(*columns).first()
        return {viewer for i, viewer in enumerate(distinct) if row and row[f"seen_{i}"]}

    def annotate_marking_visible(self, viewer: Viewer, name: str = "marking_visible") -> VisibilityQuerySet:
        """Annotate each record with whether the viewer may see its marked content."""
        return self.annotate(**{name: Case(When(self.tlp_q(viewer), then=Value(True)), default=Value(False))})


def _or(left: Q | None, right: Q | None) -> Q | None:
    """Return either condition, where None is one that no record meets."""
    if left is None:
        return right
    return left if right is None else left | right


def _marked(marking: str, markings: list[str], audience: Q | None) -> Q | None:
    """Return: the record carries one of these markings and the viewer is in the audience (None: no record)."""
    if not markings or audience is None:
        return None
    marked = Q(**{marking: markings[0]}) if len(markings) == 1 else Q(**{f"{marking}__in": markings})
    return marked & audience


def _owned_by(owner_id: str, organization_ids: Any) -> Q | None:
    """Return: the record's owner is one of these organizations (a subquery or a list; None for an empty list)."""
    if isinstance(organization_ids, tuple | list | set | frozenset) and not organization_ids:
        return None
    return Q(**{f"{owner_id}__in": organization_ids})


def marked_models() -> list[type[models.Model]]:
    """Return the models whose records carry their own TLP marking (not those that copy one, as the audit log)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if hasattr(model, "TLPOptions") and not getattr(model.TLPOptions, "copied", False)
    ]


def ids(values: Iterable[int]) -> frozenset[int]:
    return frozenset(int(v) for v in values)
