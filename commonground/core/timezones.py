"""Time zones: times are stored in UTC and read, written and shown in the zone of the community they belong to.

A partnership meets at 09:00 where it is; a page, a form and an export of that community must say 09:00,
not the server's hour. The zone is an IANA name (America/Detroit) that the community keeps.
"""

from __future__ import annotations

import datetime
import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


@cache
def time_zone_names() -> tuple[str, ...]:
    """Return the IANA zone names this installation knows, sorted (read once: the lookup scans the disk)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def validate_time_zone(value: str) -> None:
    """Refuse a value that is not an IANA time zone name (the model field's validator, so the API's and forms')."""
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone name: give an IANA name such as America/Detroit."),
            code="invalid",
            params={"value": str(value)[:64]},
        )


def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """Return the zone of an IANA name, or None for none or an unknown name."""
    if not name or name not in time_zone_names():
        return None
    return zoneinfo.ZoneInfo(name)


def zone_of(community) -> zoneinfo.ZoneInfo | None:
    """Return the zone a community keeps, or None for a record outside any community or an unknown name."""
    return zone_named(getattr(community, "time_zone", ""))


def community_today(community) -> datetime.date:
    """Return today on the community's own clock (at 21:00 in Detroit it is already tomorrow in UTC)."""
    return timezone.localdate(timezone=zone_of(community) or datetime.UTC)


def activate_zone_of(community, user=None) -> None:
    """Read and show the times of this request in the community's zone (`LocalTimeMiddleware` resets it),
    unless the reader chose a zone of their own (their profile's: it is already active, and wins)."""
    if zone_named(getattr(user, "time_zone", "")) is not None:
        return
    zone = zone_of(community)
    if zone is not None:
        timezone.activate(zone)


def local_time(moment, community) -> str:
    """Return a moment as the community's clock reads it ("2026-05-04 09:00"); spreadsheets keep no zone."""
    if moment is None:
        return ""
    return timezone.localtime(moment, zone_of(community) or timezone.get_default_timezone()).strftime(
        "%Y-%m-%d %H:%M"
    )
