"""A backup reads each model's related records a chunk at a time, not one query per record, and writes exactly
what Django's serializer writes reading them one record at a time."""

import gzip

import pytest
from django.core import serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.agenda.models import Issue, Vote
from commonground.core.backup import ExactJSONEncoder, _installation_scope, write_backup

from .query_world import grow

pytestmark = pytest.mark.django_db


def backed_up(path) -> tuple[list[str], int]:
    """The records' lines of a backup of the whole test database, and the queries writing it took."""
    with CaptureQueriesContext(connection) as queries:
        write_backup(path)
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return stream.read().splitlines()[1:], len(queries)


def serialized_one_at_a_time() -> list[str]:
    """What Django's serializer writes of the same records, reading each one's relations when it comes to it."""
    lines = []
    for queryset in _installation_scope().values():
        text = serializers.serialize(
            "jsonl", list(queryset), use_natural_foreign_keys=True, cls=ExactJSONEncoder
        )
        lines += [line for line in text.splitlines() if line]
    return lines


def test_the_queries_do_not_grow_with_the_records_and_the_lines_are_the_serializers(table, tmp_path):
    grow(table, 3)
    _lines, few = backed_up(tmp_path / "few.cgb")
    grow(table, 12)
    # many-to-many rows written out of key order: a vote's issues, newest first; an issue's hazards, another's
    vote = Vote.objects.order_by("pk").last()
    vote.issues.clear()
    for issue in Issue.objects.order_by("-pk"):
        vote.issues.add(issue)
    first, last = Issue.objects.order_by("pk").first(), Issue.objects.order_by("pk").last()
    first.hazards.add(*last.hazards.all())
    lines, many = backed_up(tmp_path / "many.cgb")
    assert many == few  # one query per model and relation: many more records, no more queries
    assert len(lines) > 200
    assert any('"model": "agenda.vote"' in line and '"issues": [' in line for line in lines)
    assert lines == serialized_one_at_a_time()
