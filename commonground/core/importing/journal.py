"""Undo an import's committed writes: after a failed batch, and after an import killed while writing.

On SQLite an import writes its batches in short transactions, a slice of batches each (see `engine`).
Each transaction's audit entries name what it wrote, so `undo` takes them back. The transactions
committed so far are journalled in `UnfinishedImport`, inside each; an import that ends, well or not,
removes its journal entry. One left behind belongs to an import whose process died (killed, or the
machine stopped): `recover` undoes what it wrote, and every import runs it before it writes.
"""

from __future__ import annotations

import os
import socket

from django.db import transaction
from django.db.models import Max

from ..audit import touched_everything
from ..models import AuditAction, AuditEntry, UnfinishedImport

# How many audit entries one transaction of `undo` takes back: as many as a batch writes, so that undoing
# holds the write lock no longer than writing did.
UNDO_ENTRIES = 2000


def last_audit_id() -> int:
    return AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0


def undo(written: list[tuple[int, int]]) -> None:
    """Undo the committed transactions of an import, newest first, from the audit entries they wrote.

    `written` holds the last audit entry before and after each. They are undone `UNDO_ENTRIES` entries at
    a time, newest first, each in its own short transaction: its new records are deleted (what hangs on
    them goes by cascade), its updated fields are set back to their values before, and its audit entries
    are removed, since they describe writes that no longer stand.
    """
    for first, last in reversed(written):
        for top in range(last, first, -UNDO_ENTRIES):
            _undo_entries(max(first, top - UNDO_ENTRIES), top)


def _undo_entries(first: int, last: int) -> None:
    """Undo the writes whose audit entries are numbered past `first` up to `last`, in one transaction."""
    with transaction.atomic():
        entries = AuditEntry.objects.filter(id__gt=first, id__lte=last).select_related("content_type")
        created: dict[type, list[str]] = {}
        for entry in entries.order_by("-id").iterator(chunk_size=2000):
            model = entry.content_type.model_class()
            if entry.action == AuditAction.CREATE:
                created.setdefault(model, []).append(entry.object_id)
            elif entry.action == AuditAction.UPDATE:
                restored = {}
                for name, (old, _new) in entry.changes.items():
                    field = model._meta.get_field(name)
                    restored[field.attname] = field.to_python(old)
                model._base_manager.filter(pk=entry.object_id).update(**restored)
        for model, pks in created.items():
            model._base_manager.filter(pk__in=pks).delete()
        entries.delete()
        touched_everything()  # the writes undone no longer have entries


def journal_begin() -> UnfinishedImport:
    """Recover the imports that died while writing, then open this one's journal entry."""
    recover()
    return UnfinishedImport.objects.create(host=socket.gethostname(), pid=os.getpid())


def journal_record(journal: UnfinishedImport | None, written: list[tuple[int, int]]) -> None:
    """Record the transactions written so far, inside the last of them."""
    if journal is not None:
        UnfinishedImport.objects.filter(pk=journal.pk).update(batches=written)


def journal_end(journal: UnfinishedImport | None) -> None:
    if journal is not None:
        UnfinishedImport.objects.filter(pk=journal.pk).delete()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    return True


def recover() -> int:
    """Undo the batches of imports on this machine whose process is gone; return how many were undone.

    An import on another machine is left to that machine's next import: only there can its process be
    known dead.
    """
    host, undone = socket.gethostname(), 0
    for journal in UnfinishedImport.objects.filter(host=host):
        if journal.pid == os.getpid() or _alive(journal.pid):
            continue
        undo([tuple(batch) for batch in journal.batches])
        journal.delete()
        undone += 1
    return undone
