"""The partnership's calendar as iCalendar (RFC 5545): its workshops and meetings, and its open tasks' due dates.

A calendar program subscribes with an address that carries a signed token naming the user and the
community, because it cannot log in; the feed shows what that user may see, as any page does, so a
user who leaves the table gets a 404 from then on.
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.utils import timezone
from icalendar import Calendar, Event

from .choices import TaskStatus

SALT = "commonground.sustainability.calendar"


def feed_token(*, user, community) -> str:
    """Return the token of a user's subscription to a community's calendar."""
    return signing.dumps({"u": user.pk, "c": community.pk}, salt=SALT, compress=True)


def read_feed_token(token: str) -> tuple[int, int] | None:
    """Return (user id, community id) from a subscription token, or None for a bad one."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("c"), int):
        return None
    return data["u"], data["c"]


def community_calendar(*, community, meetings, tasks, site_url: str) -> bytes:
    """Return the iCalendar file of a community's meetings and the due dates of its open tasks."""
    calendar = Calendar()
    calendar.add("prodid", "-//Common Ground//Partnership calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{community.name}: partnership")
    stamp = timezone.now()
    host = site_url.split("//")[-1].strip("/") or "commonground"
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        # In UTC, written with a Z: the instant itself, which every calendar program shows in its own zone.
        starts = meeting.starts_at.astimezone(datetime.UTC)
        event.add("dtstart", starts)
        event.add(
            "dtend",
            meeting.ends_at.astimezone(datetime.UTC)
            if meeting.ends_at
            else starts + datetime.timedelta(hours=2),
        )
        event.add("summary", f"{meeting.title} ({meeting.get_kind_display()})")
        if meeting.location:
            event.add("location", meeting.location)
        if meeting.agenda:
            event.add("description", meeting.agenda)
        event.add("url", f"{site_url}{meeting.get_absolute_url()}")
        calendar.add_component(event)
    for task in tasks:
        if task.status == TaskStatus.DONE:
            continue
        event = Event()
        event.add("uid", f"task-{task.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", task.due_on)
        event.add("dtend", task.due_on + datetime.timedelta(days=1))
        owner = task.owner_organization.name if task.owner_organization else ""
        event.add("summary", f"Due: {task.title}" + (f" ({owner})" if owner else ""))
        event.add("description", f"{task.get_status_display()} · {task.goal.statement}")
        event.add("url", f"{site_url}{task.get_absolute_url()}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
