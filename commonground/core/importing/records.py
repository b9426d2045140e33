"""Imports whose rows create or update records of one model, written as the services write them."""

from __future__ import annotations

import operator
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .. import audit
from ..bulk import insert_returning_ids
from ..models import AuditAction
from ..services import check_still_visible, owns_marking, viewer_of
from ..tabular import RowError
from ..tlp import is_lower
from ..visibility import Viewer
from .engine import Importer, ImportReport, Row, errors_from_validation


def no_such_record(row: Row, column: str) -> RowError:
    """Return the one answer for a key the actor may not write, whether or not a hidden record has it."""
    return RowError(row.number, column, _("no such record you may update"))


class ModelImporter(Importer):
    """An importer whose rows create or update records of one model, with an audit entry for each.

    It writes as the services do: a row matches only a record its actor may see and edit, an update keeps
    a marking its row leaves blank, only a marking's owner lowers it, and what is written is re-checked.
    """

    model: type = None  # type: ignore[assignment]

    @cached_property
    def viewer(self) -> Viewer:
        return viewer_of(self.actor)

    @cached_property
    def marking(self) -> str | None:
        """Return the name of the model's TLP marking field, or None for a model without one."""
        name = getattr(getattr(self.model, "TLPOptions", None), "marking", "tlp")
        return name if any(field.name == name for field in self.model._meta.concrete_fields) else None

    @cached_property
    def owner_attname(self) -> str:
        return getattr(getattr(self.model, "TLPOptions", None), "owner", "organization") + "_id"

    def matchable(self, queryset):
        """Narrow the records rows may match to those the actor may see (the system, actor None, sees all)."""
        return queryset if self.actor is None else queryset.visible_to(self.viewer)

    def may_create(self, values: dict[str, Any]) -> bool:
        """Return whether the actor may create this record: the create service's permission."""
        return True

    def may_update(self, instance) -> bool:
        """Return whether the actor may change this record: the update service's permission."""
        return True

    def may_lower(self, instance) -> bool:
        """Only a marking's owner lowers it (`core.services.owns_marking`); the system lowers any."""
        return self.actor is None or owns_marking(self.viewer, instance, getattr(instance, self.marking))

    def refusal(self, row: Row) -> RowError | None:
        """Return why the actor may not write this row, or None."""
        if row.error is not None:
            return row.error
        existing = row.existing
        if not (self.may_create(row.values) if existing is None else self.may_update(existing)):
            return no_such_record(row, self.key_column)
        after = row.values.get(self.marking) if self.marking and existing is not None else None
        if after and is_lower(getattr(existing, self.marking), after) and not self.may_lower(existing):
            return RowError(
                row.number,
                self.marking,
                _("only the owning organization's admins lower a marking; you may raise it"),
            )
        return None

    # Fields whose blank cell keeps the record's value on an update (the marking always is one).
    kept_when_blank: tuple[str, ...] = ()

    def row_values(self, row: Row) -> dict[str, Any]:
        """Return the values to write: a blank marking (or kept field) keeps the record's on an update, and a
        new record gets the field's default."""
        values = self.model_values(row.values)
        for name in filter(None, (self.marking, *self.kept_when_blank)):
            if values.get(name) in (None, ""):
                if row.existing is None:
                    values[name] = self.model._meta.get_field(name).get_default()
                else:
                    values.pop(name, None)
        return values

    def model_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """Return the model field values of a parsed row, keyed by field name or attname."""
        return values

    def describe(self, values: dict[str, Any]) -> str:
        """Return how the audit log names a new record."""
        return str(self.model(**values))

    def audit_scope(self, instance_or_values) -> dict[str, int | None]:
        """Return the community and organization an audit entry is read under."""
        return {}

    def after_create(self, ids: list[int], values: list[dict[str, Any]]) -> None:
        """Write what goes with new records (memberships, links)."""

    def _insert_columns(self) -> list[tuple[str, str, Any]]:
        """(attname, name, default) for each column an insert fills."""
        from django.utils import timezone

        now = timezone.now()
        columns = []
        for field in self.model._meta.concrete_fields:
            if field.primary_key:
                continue
            auto_time = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            columns.append((field.attname, field.name, now if auto_time else field.get_default()))
        return columns

    def _create(self, rows: list[Row], report: ImportReport) -> list[tuple[int, Row]]:
        created = [row for row in rows if row.existing is None]
        if not created:
            return []
        new = [self.row_values(row) for row in created]
        columns = self._insert_columns()
        attnames = [attname for attname, _name, _default in columns]
        defaults = {attname: default for attname, _name, default in columns}
        # Rows give a value by field name or by attname (organization or organization_id).
        renamed = [(name, attname) for attname, name, _default in columns if name != attname]
        pick = operator.itemgetter(*attnames)
        tuples = []
        for values in new:
            row = defaults | values
            for name, attname in renamed:
                if name in values and attname not in values:
                    row[attname] = values[name]
            tuples.append(pick(row))
        ids = insert_returning_ids(self.model, attnames, tuples)
        self.after_create(ids, new)
        audit.bulk_record_created(
            self.actor,
            self.model,
            (
                (pk, self.describe(values), values, self.audit_scope({**values, "pk": pk}))
                for pk, values in zip(ids, new, strict=True)
            ),
        )
        report.created += len(ids)
        return list(zip(ids, created, strict=True))

    def screen(self, rows: list[Row], report: ImportReport) -> None:
        for row in rows:
            if (error := self.refusal(row)) is not None:
                report.add_error(error)

    def write(self, rows: list[Row], report: ImportReport) -> None:
        # The engine calls this only after `find_existing` and `screen` passed, in the same transaction:
        # the rows are matched and screened again as the records are now, not as pass 1 found them.
        written = self._create(rows, report) + self._update(rows, report)
        self._check_still_visible(written, report)

    def _check_still_visible(self, written: list[tuple[int, Row]], report: ImportReport) -> None:
        """Report each written row whose record the actor could no longer see, as a service write would."""
        if self.actor is None or not written:
            return
        visible = set(
            self.model._default_manager.visible_to(self.viewer)
            .filter(pk__in=[pk for pk, _row in written])
            .values_list("pk", flat=True)
        )
        for pk, row in written:
            if pk in visible:
                continue
            try:
                check_still_visible(self.actor, self.model, pk, self.marking or self.key_column)
            except ValidationError as error:
                for item in errors_from_validation(row.number, error):
                    report.add_error(item)

    def _update(self, rows: list[Row], report: ImportReport) -> list[tuple[int, Row]]:
        changed, fields, entries, written = [], set(), [], []
        organizations, people = audit.recipient_relations(self.model)
        prefetch_related_objects([row.existing for row in rows if row.existing], *organizations, *people)
        for row in rows:
            obj = row.existing
            if obj is None:
                continue
            before = audit.snapshot(obj)
            for name, value in self.row_values(row).items():
                setattr(obj, name, value)
            changes = audit.diff(before, audit.snapshot(obj))
            if not changes:
                report.unchanged += 1
                continue
            changed.append(obj)
            written.append((obj.pk, row))
            fields.update(changes)
            entries.append(
                audit.build_entry(
                    actor=self.actor,
                    action=AuditAction.UPDATE,
                    instance=obj,
                    changes=changes,
                    **self.audit_scope(obj),
                )
            )
        if changed:
            self.model._default_manager.bulk_update(changed, sorted(fields), batch_size=self.batch_size)
            report.updated += len(changed)
            audit.bulk_record(entries)
        return written
