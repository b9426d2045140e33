"""What happened at a table since its last sent newsletter, as the pre-filled sections of a new one.

Each section names the records it was built from ([model label, pk]) and carries the narrowest of their
markings: an issue's or an incident's own; goals, tasks, meetings, seats at the table and the network's
snapshot are the table's (TLP:GREEN by nature). The text is Markdown the co-chairs then edit. The sections are
built from the records the composer may see (each kind's own `visible_to`), so a draft never shows its author
what they could not read; each reader's view is applied again when the newsletter is read or mailed
(`rendering`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.agenda.choices import IssueStatus
from commonground.agenda.models import Issue
from commonground.communities.models import Membership
from commonground.core.tlp import TLP, narrowest
from commonground.core.visibility import Viewer
from commonground.incidents.models import Incident
from commonground.registry.models import Organization
from commonground.socialcapital.models import NetworkSnapshot
from commonground.sustainability.choices import TaskStatus
from commonground.sustainability.models import Goal, Meeting, Task

from .choices import NewsletterStatus, SectionKind

# How far back the first newsletter of a table looks, and how far ahead the meetings it lists.
FIRST_LOOKBACK = datetime.timedelta(days=90)
MEETINGS_AHEAD = datetime.timedelta(days=60)
# The most records a section lists (the newest).
SECTION_ROWS = 25


@dataclass
class Draft:
    kind: str
    heading: str
    lines: list[str] = field(default_factory=list)
    sources: list[list] = field(default_factory=list)
    markings: list[str] = field(default_factory=list)

    def add(self, line: str, label: str, pk: int, marking: str = TLP.GREEN) -> None:
        self.lines.append(line)
        self.sources.append([label, pk])
        self.markings.append(marking)

    @property
    def body(self) -> str:
        return "\n".join(f"- {line}" for line in self.lines)

    @property
    def tlp(self) -> str:
        return narrowest(self.markings) if self.markings else TLP.GREEN


def _escape(text: str) -> str:
    """Keep a record's words from being read as Markdown."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return " ".join(str(text).split())


def news_since(community) -> datetime.datetime:
    """The moment the last sent newsletter went, or FIRST_LOOKBACK ago for a table's first."""
    from .models import Newsletter

    last = (
        Newsletter.objects.filter(community=community)
        .exclude(status=NewsletterStatus.DRAFT)
        .exclude(sent_at=None)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return last or timezone.now() - FIRST_LOOKBACK


def _members(viewer, community, since) -> Draft:
    draft = Draft(SectionKind.MEMBERS, _("New at the table"))
    seats = Membership.objects.filter(
        community=community, created__gte=since, organization__in=Organization.objects.visible_to(viewer)
    ).select_related("organization")
    for seat in seats.order_by("-created")[:SECTION_ROWS]:
        organization = seat.organization
        draft.add(
            _("%(name)s (%(sector)s) joined.")
            % {"name": _escape(organization.name), "sector": organization.get_sector_display()},
            "registry.Organization",
            organization.pk,
        )
    return draft


def _issues(viewer, community, since) -> Draft:
    draft = Draft(SectionKind.ISSUES, _("Issues adopted onto the agenda"))
    issues = (
        Issue.objects.visible_to(viewer)
        .filter(community=community, status=IssueStatus.ADOPTED, decided_on__gte=since.date())
        .order_by("-decided_on", "-id")
    )
    for issue in issues[:SECTION_ROWS]:
        draft.add(_escape(issue.title), "agenda.Issue", issue.pk, issue.tlp)
    return draft


def _tasks(viewer, community, since) -> Draft:
    draft = Draft(SectionKind.TASKS, _("Tasks completed"))
    tasks = Task.objects.filter(
        goal__in=Goal.objects.visible_to(viewer).filter(community=community),
        status=TaskStatus.DONE,
        completed_on__gte=since.date(),
    ).order_by("-completed_on", "-id")
    for task in tasks[:SECTION_ROWS]:
        draft.add(_escape(task.title), "sustainability.Task", task.pk)
    return draft


def _goals(viewer, community, since) -> Draft:
    """A goal is completed when its every task is done, the last of them since the last newsletter."""
    draft = Draft(SectionKind.GOALS, _("Goals reached"))
    goals = (
        Goal.objects.visible_to(viewer)
        .filter(community=community)
        .prefetch_related("tasks")
        .order_by("target_date", "id")
    )
    for goal in goals:
        tasks = list(goal.tasks.all())
        if not tasks or any(task.status != TaskStatus.DONE for task in tasks):
            continue
        finished = max((task.completed_on for task in tasks if task.completed_on), default=None)
        if finished and finished >= since.date():
            draft.add(_escape(goal.statement), "sustainability.Goal", goal.pk)
    return draft


def _incidents(viewer, community, since) -> Draft:
    draft = Draft(SectionKind.INCIDENTS, _("Incidents"))
    incidents = Incident.objects.visible_to(viewer).filter(
        Q(started_at__gte=since) | Q(closed_at__gte=since), community=community
    )
    for incident in incidents.order_by("-started_at", "-id")[:SECTION_ROWS]:
        line = f"**{_escape(incident.title)}** ({incident.get_status_display()})"
        summary = incident.summary or {}
        if summary.get("requests"):
            hours = (summary.get("hours_to_fill") or {}).get("median")
            line += " " + _("%(requests)d requests for resources") % {"requests": summary["requests"]}
            if hours is not None:
                line += _(", filled in a median of %(hours)s hours") % {"hours": hours}
            line += "."
        draft.add(line, "incidents.Incident", incident.pk, incident.tlp)
    return draft


def _meetings(viewer, community) -> Draft:
    draft = Draft(SectionKind.MEETINGS, _("Coming meetings"))
    now = timezone.now()
    meetings = Meeting.objects.filter(
        community=community, starts_at__gte=now, starts_at__lte=now + MEETINGS_AHEAD
    )
    for meeting in meetings.order_by("starts_at", "id")[:SECTION_ROWS]:
        when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
        draft.add(f"{when}: {_escape(meeting.title)}", "sustainability.Meeting", meeting.pk)
    return draft


def _network(viewer, community) -> Draft:
    """The change between the two latest monthly snapshots of the network (socialcapital)."""
    draft = Draft(SectionKind.NETWORK, _("The partnership's network"))
    snapshots = list(
        NetworkSnapshot.objects.visible_to(viewer).filter(community=community).order_by("-month")[:2]
    )
    if not snapshots:
        return draft
    latest, earlier = snapshots[0], snapshots[1:]
    measures = latest.measures
    line = _("%(organizations)s organizations, %(ties)s ties, %(isolated)s without a tie.") % {
        "organizations": measures.get("organizations", 0),
        "ties": measures.get("ties", 0),
        "isolated": len(measures.get("isolated", {}).get("ids", [])),
    }
    if earlier:
        before = earlier[0].measures
        line += " " + _("Ties since %(month)s: %(change)+d.") % {
            "month": earlier[0].month.strftime("%Y-%m"),
            "change": measures.get("ties", 0) - before.get("ties", 0),
        }
    draft.add(line, "socialcapital.NetworkSnapshot", latest.pk)
    return draft


def prefill(viewer: Viewer, community, since: datetime.datetime) -> list[Draft]:
    """Return the sections with news since that moment, from what the viewer may see (sections with nothing
    to say are left out)."""
    drafts = [
        _members(viewer, community, since),
        _issues(viewer, community, since),
        _tasks(viewer, community, since),
        _goals(viewer, community, since),
        _incidents(viewer, community, since),
        _meetings(viewer, community),
        _network(viewer, community),
    ]
    return [draft for draft in drafts if draft.lines]
