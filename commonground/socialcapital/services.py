"""Writes of the network: a month's snapshot, computed by the system (the worker, the monthly command).

A snapshot is the system's reading of the record, not anyone's record: it is written without an audit entry,
and only by `snapshot_compute`, which nobody calls in a request (`tasks.snapshot_network` does).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from commonground.core import audit

from .measures import network_measures
from .models import NetworkSnapshot
from .ties import network_organizations, network_ties


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.datetime:
    """Return the last moment of a month (UTC)."""
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return datetime.datetime.combine(following, datetime.time.min, tzinfo=datetime.UTC) - datetime.timedelta(
        microseconds=1
    )


def snapshot_compute(*, community, month: datetime.date | None = None) -> NetworkSnapshot:
    """Measure a community's network for a month (this month when none is given, read as it stands now; an
    earlier month read as it stood at that month's end) and keep it, replacing that month's earlier snapshot."""
    now = timezone.now()
    this_month = month_start(now.date())
    month = month_start(month or this_month)
    if month > this_month:
        raise ValueError("A month still to come cannot be measured.")
    as_of = now if month == this_month else month_end(month)
    measures = network_measures(network_organizations(community, as_of), network_ties(community, as_of))
    with transaction.atomic():
        snapshot, _created = NetworkSnapshot.objects.update_or_create(
            community=community,
            month=month,
            defaults={"as_of": as_of, "computed_at": timezone.now(), "measures": measures},
        )
        audit.touched(NetworkSnapshot)  # no entry records it: figures read from the snapshots are read again
    return snapshot


def recent_months(months: int) -> list[datetime.date]:
    """Return the first days of this month and the `months - 1` before it, oldest first."""
    month = month_start(timezone.now().date())
    wanted = [month]
    for _ in range(months - 1):
        month = month_start(month - datetime.timedelta(days=1))
        wanted.append(month)
    return list(reversed(wanted))


def network_history(community, *, months: int) -> list[NetworkSnapshot]:
    """Measure a community's network for this month and the `months - 1` before it, oldest first (the demo's
    two years; a table that starts measuring late). Run by a command or the worker, never in a request."""
    return [snapshot_compute(community=community, month=day) for day in recent_months(months)]
