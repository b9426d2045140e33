"""The leak world's records: the markers planted in them, what was planted where, the seats that read them."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from itertools import count

from django.db import models

from commonground.core.models import AuditEntry
from commonground.core.viewer import viewer_for
from commonground.core.visibility import ANONYMOUS, VisibilityQuerySet
from commonground.incidents.models import Alert, TimelineEntry
from commonground.registry.models import Person

from .leak_credentials import SEEN_BY_ROLE

# Records seen by one rule and marked content by another: only these fields carry the record's marking.
MARKED_APART = {Person: ("email", "phone", "mobile")}
# Records seen when both their own marking and their incident allow it: the oracle asks their `visible_to`.
SEEN_WITH_PARENT = {TimelineEntry, Alert}
MARKER = re.compile(rb"leak[0-9a-f]{10}|555[0-9]{9}", re.IGNORECASE)
FILLER = "planted so that every page can be searched for it and none may show it to the wrong reader"
unique = count(1)


def marking_field(model) -> models.Field:
    return model._meta.get_field(getattr(model.TLPOptions, "marking", "tlp"))


def sees_apart(model) -> bool:
    """Whether the model's records are listed by a rule other than their marking."""
    return type(model.objects.all()).visible_to is not VisibilityQuerySet.visible_to


def markable_fields(model) -> list[models.Field]:
    """Return the free-text fields of a marked model long enough to hold a marker."""
    if model in MARKED_APART:
        return [model._meta.get_field(name) for name in MARKED_APART[model]]
    marking = marking_field(model).name
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.SlugField)
        and not f.choices
        and f.editable
        and f.name != marking
        and (f.max_length or 4000) >= 16
    ]


def new_token(digits: bool = False) -> str:
    if digits:
        return f"555{next(unique):05d}{secrets.randbelow(10_000):04d}"
    return f"leak{next(unique):04d}{secrets.token_hex(3)}"


def marker_value(f: models.Field, token: str) -> str:
    if isinstance(f, models.EmailField):
        return f"{token}@example.org"
    if isinstance(f, models.URLField):
        return f"https://{token}.example.org/"
    if isinstance(f, models.TextField):
        return f"{token} {FILLER}"
    return token


@dataclass
class Planted:
    """One record and the markers in its fields (the values it was created with and changed to)."""

    record: models.Model
    marking: str
    tokens: dict[str, str] = field(default_factory=dict)  # token: field name
    # The logins that may read it, where a record is read by its audience and not by a marking or a role (a
    # narrow newsletter, leak_newsletters.py); None: the model's own rule decides.
    readers: frozenset[int] | None = None

    @property
    def model(self):
        return type(self.record)

    def describe(self, token: str) -> str:
        return (
            f"{self.model.__name__} {self.record.pk} ({self.marking}, "
            f"{getattr(getattr(self.record, 'organization', None), 'name', '-')}).{self.tokens[token]}"
        )


@dataclass
class LeakWorld:
    users: dict[str, object]
    communities: list
    organizations: list
    planted: list[Planted]
    needs: list
    owners: list
    mails: list = field(default_factory=list)
    hosts: list = field(
        default_factory=list
    )  # each seat's TLP:CLEAR incident, holding its sitreps and alerts
    seen: set = field(default_factory=set)  # markers a reader allowed to see them was shown
    _hidden: dict = field(default_factory=dict)

    def user(self, role: str):
        return self.users.get(role)

    def viewer(self, role: str):
        return viewer_for(self.users[role]) if self.users.get(role) else ANONYMOUS

    def may_see(self, viewer, planted: Planted) -> bool:
        """The oracle: the model's own TLP rule, asked of the database (and its incident's, for its records)."""
        if planted.readers is not None:
            return viewer.user_id in planted.readers
        model = planted.model
        if model in SEEN_WITH_PARENT or model in SEEN_BY_ROLE:
            return model.objects.visible_to(viewer).filter(pk=planted.record.pk).exists()
        return model.objects.filter(pk=planted.record.pk).filter(model.objects.tlp_q(viewer)).exists()

    def hidden_from(self, viewer) -> dict[str, Planted]:
        """Return {marker: record} for every marker the viewer may not see."""
        if viewer not in self._hidden:
            self._hidden[viewer] = {
                token: p for p in self.planted if not self.may_see(viewer, p) for token in p.tokens
            }
        return self._hidden[viewer]

    def leaks(self, viewer, body: bytes, among: list[Planted] | None = None) -> list[str]:
        """Return a line for each marker in the body that the viewer may not see (of `among`, if given)."""
        hidden = self.hidden_from(viewer)
        found = {m.decode().lower() for m in MARKER.findall(body)}
        self.seen |= found - set(hidden)
        return sorted(
            f"{hidden[t].describe(t)} [{t}]"
            for t in found
            if t in hidden and (among is None or hidden[t] in among)
        )

    def records(self, model) -> list[models.Model]:
        return [p.record for p in self.planted if isinstance(p.record, model)]

    def audit_entries(self) -> list[int]:
        entries = AuditEntry.objects.none()
        for model in {p.model for p in self.planted}:
            pks = [str(r.pk) for r in self.records(model)]
            entries |= AuditEntry.objects.filter(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_id__in=pks,
            )
        return list(entries.values_list("pk", flat=True))


@dataclass
class Seat:
    """Where an owner's records are planted, and who acts for it."""

    community: object
    owner: object
    partner: object  # another organization at the table, a party to agreements, with no users
    proposer: object  # a user of the owner, who proposes its issues (and so receives their mails)
    red_reader: object | None  # a person named on the owner's TLP:RED resources
    needs: object
    hazards: list = field(default_factory=list)
    items: list = field(default_factory=list)
    host: object | None = (
        None  # a TLP:CLEAR incident of the owner's, where its sitreps and alerts are planted
    )
