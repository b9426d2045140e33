"""core.bulk.insert_returning_ids: the same keys and rows on SQLite (multi-row VALUES) and PostgreSQL (UNNEST).

The suite runs on both engines (.ci/run), so each assertion below pins both; on PostgreSQL the UNNEST path is
also checked against the VALUES path it replaced.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from commonground.communities.tests.factories import CommunityFactory
from commonground.core import bulk
from commonground.core.models import AuditEntry
from commonground.registry.tests.factories import OrganizationFactory, UserFactory
from commonground.resources.models import Resource

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=datetime.UTC)
FIELDS = ["at", "actor", "actor_repr", "action", "content_type", "object_id", "object_repr", "changes",
          "community_id", "organization_id", "tlp", "whole_record"]  # fmt: skip


def audit_rows(user, content_type, count):
    """Rows with every kind of value: a nullable key both ways, JSON of several shapes, unicode, quotes."""
    shapes = [{"name": ["ä'\"", "b"]}, {}, [1, 2.5, None], {"nested": {"x": True}}]
    return [
        (AT, user.pk if i % 2 else None, f"ü'{i}\"", "update", content_type.pk, str(i), f"record {i}",
         shapes[i % len(shapes)], None if i % 3 else i, 10**12 + i, "TLP:GREEN", bool(i % 2))
        for i in range(count)
    ]  # fmt: skip


def read_back(ids):
    by_id = {
        entry.pk: entry
        for entry in AuditEntry.objects.filter(pk__in=ids).select_related(None).only(*FIELDS, "pk")
    }
    return [
        (by_id[pk].at, by_id[pk].actor_id, by_id[pk].actor_repr, by_id[pk].action, by_id[pk].content_type_id,
         by_id[pk].object_id, by_id[pk].object_repr, by_id[pk].changes, by_id[pk].community_id,
         by_id[pk].organization_id, by_id[pk].tlp, by_id[pk].whole_record)
        for pk in ids
    ]  # fmt: skip


def test_keys_come_back_in_row_order_and_the_rows_as_given():
    user = UserFactory()
    content_type = ContentType.objects.get_for_model(Resource)
    rows = audit_rows(user, content_type, 50)
    ids = bulk.insert_returning_ids(AuditEntry, FIELDS, rows)
    assert len(ids) == len(set(ids)) == 50
    assert ids == sorted(ids)  # the sequence's order is the rows' order
    assert read_back(ids) == rows
    assert bulk.insert_returning_ids(AuditEntry, FIELDS, []) == []


def test_many_statements_keep_the_order(monkeypatch):
    """More rows than one statement takes: the batches' keys join in row order."""
    monkeypatch.setattr(bulk, "UNNEST_ROWS", 7)
    monkeypatch.setattr(bulk, "MAX_PARAMETERS", 7 * len(FIELDS))
    user = UserFactory()
    rows = audit_rows(user, ContentType.objects.get_for_model(Resource), 30)
    ids = bulk.insert_returning_ids(AuditEntry, FIELDS, rows)
    assert read_back(ids) == rows


def test_given_keys_are_kept_and_floats_dates_and_nulls_round_trip():
    """Restore gives the keys (backup.py); resources carry floats (an int among them), dates, nulls."""
    organization, community = OrganizationFactory(), CommunityFactory()
    records = [
        Resource(id=900_000 + i, community=community, organization=organization, kind="equipment",
                 name=f"Generator {i} \u2018quoted\u2019", category="esf12", quantity=1.0, tlp="TLP:CLEAR",
                 capacity=None if i % 2 else (100 if i == 2 else 100.5 * i), latitude=42.5 + i / 1000, longitude=-84.25,
                 verified_on=datetime.date(2026, 1, 1 + i))
        for i in range(5)
    ]  # fmt: skip
    fields = [field for field in Resource._meta.concrete_fields]
    rows = [tuple(field.pre_save(record, True) for field in fields) for record in records]
    ids = bulk.insert_returning_ids(Resource, [field.name for field in fields], rows)
    assert ids == [record.id for record in records]
    stored = (
        Resource.objects.filter(pk__in=ids).order_by("pk").values_list(*[field.attname for field in fields])
    )
    assert list(stored) == rows


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the UNNEST path is PostgreSQL's")
def test_unnest_and_values_store_the_same_rows():
    user = UserFactory()
    rows = audit_rows(user, ContentType.objects.get_for_model(Resource), 20)
    by_unnest = bulk._insert_unnest(AuditEntry, FIELDS, rows)
    by_values = bulk._insert_values(AuditEntry, FIELDS, rows)
    assert read_back(by_unnest) == read_back(by_values) == rows
