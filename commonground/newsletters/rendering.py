"""A newsletter as one reader gets it: the Markdown rendered and sanitized, and only the sections whose records
that reader may see.

Whether a reader may see a section's records is asked of each record's own `visible_to(viewer)` (one query a
kind of record a reader), never decided here: a section is left out unless every record it was built from is
among those its model shows that reader. The public edition is the same question asked for a visitor (the
anonymous viewer), and keeps only sections marked TLP:CLEAR.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import nh3
from django.apps import apps
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from commonground.core.kept_rows import rows_by_keys
from commonground.core.tlp import TLP
from commonground.core.visibility import ANONYMOUS, Viewer

# The tags a newsletter's HTML keeps; everything else (scripts, styles, event handlers, frames) is dropped.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "li", "ol", "p", "pre",
    "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}

# CommonMark without raw HTML (and without tables, which would not fit a phone's width).
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def markdown_html(text: str) -> str:
    """Return Markdown as sanitized HTML (safe to put in a page or a mail)."""
    html = _markdown.render(text or "")
    return mark_safe(  # noqa: S308 - nh3 (ammonia) has just sanitized it
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def _tasks_visible(viewer: Viewer, pks) -> set[int]:
    """A task has no marking of its own: it is seen by whoever sees its goal (`Goal.objects.visible_to`)."""
    goal_model = apps.get_model("sustainability", "Goal")
    task_model = apps.get_model("sustainability", "Task")
    goals = goal_model.objects.visible_to(viewer)
    return set(task_model.objects.filter(pk__in=pks, goal__in=goals).values_list("pk", flat=True))


# Kinds of record whose own manager has no `visible_to`, and the selector that stands for it.
SPECIAL = {"sustainability.Task": _tasks_visible}


def visible_sources(viewer: Viewer, sections) -> set[tuple[str, int]]:
    """Return the (label, pk) among these sections' sources that the viewer may see: one query a kind."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for section in sections:
        for label, pk in section.sources or ():
            wanted[label].add(int(pk))
    seen: set[tuple[str, int]] = set()
    for label, pks in wanted.items():
        if label in SPECIAL:
            found = SPECIAL[label](viewer, pks)
        else:
            found = _visible_keys(viewer, apps.get_model(label), sorted(pks))
        seen |= {(label, pk) for pk in found}
    return seen


def _visible_keys(viewer: Viewer, model, pks: list[int]) -> set[int]:
    """The keys among these that the model's `visible_to` shows the viewer, by SQL kept for the viewer and the
    model whatever the keys (`core.kept_rows.rows_by_keys`): a newsletter's sources are a few records of each of
    several kinds, and building and compiling each kind's visibility conditions was a third of its page."""

    def listed():
        return model.objects.visible_to(viewer).only("pk")

    found = rows_by_keys(("newsletter sources", model._meta.label, viewer), listed, pks, model.objects.db)
    if found is None:  # a kind whose SQL does not take the keys last: read by the ORM
        return set(model.objects.visible_to(viewer).filter(pk__in=pks).values_list("pk", flat=True))
    return {row.pk for row in found}


def sections_for(viewer: Viewer, sections, *, public: bool = False, seen=None) -> list:
    """Return the sections this reader gets, in order: those whose every record the reader may see (and, for
    the public edition, only those marked TLP:CLEAR). `seen`: `visible_sources` already asked for them."""
    sections = list(sections)
    if public:
        viewer = ANONYMOUS
        sections = [section for section in sections if section.tlp == TLP.CLEAR]
    if seen is None:
        seen = visible_sources(viewer, sections)
    return [
        section
        for section in sections
        if all((label, int(pk)) in seen for label, pk in section.sources or ())
        and (section.sources or viewer.is_authenticated or section.tlp == TLP.CLEAR)
    ]


def _named_parties(label: str, pks) -> tuple[set[int], set[int]] | None:
    """The organizations and people whose ids the visibility of these records reads (None: unknown)."""
    if label == "sustainability.Task":
        goals = (
            apps.get_model("sustainability", "Task")
            .objects.filter(pk__in=pks)
            .values_list("goal_id", flat=True)
        )
        return _named_parties("sustainability.Goal", set(goals))
    named = getattr(apps.get_model(label).objects.all(), "named_parties", None)
    return named(pks) if named is not None else None


def reader_class(viewer: Viewer, organizations: set[int] | None, people: set[int] | None) -> tuple:
    """Return what decides which of the sections' records this reader sees: readers with equal classes see the
    same. `organizations`, `people`: those the records name (`named_parties`); None: each reader is their own."""
    if organizations is None or people is None:
        return ("reader", viewer.user_id)
    return (
        viewer.is_authenticated,
        viewer.is_facilitator,
        viewer.is_organization_admin,
        viewer.community_ids,
        viewer.cochair_community_ids,
        viewer.organization_id if viewer.organization_id in organizations else None,
        viewer.person_id if viewer.person_id in people else None,
    )


def sections_by_reader(viewers: list[Viewer], sections) -> list[list]:
    """Return, for each viewer, the sections `sections_for` gives them, asking `visible_sources` once for each
    class of readers (`reader_class`) rather than once for each reader."""
    sections = list(sections)
    wanted: dict[str, set[int]] = defaultdict(set)
    for section in sections:
        for label, pk in section.sources or ():
            wanted[label].add(int(pk))
    organizations: set[int] | None = set()
    people: set[int] | None = set()
    for label, pks in wanted.items():
        named = _named_parties(label, pks)
        if named is None:
            organizations = people = None
            break
        organizations |= named[0]
        people |= named[1]
    by_class: dict[tuple, list] = {}
    shown = []
    for viewer in viewers:
        key = reader_class(viewer, organizations, people)
        if key not in by_class:
            by_class[key] = sections_for(viewer, sections)
        shown.append(by_class[key])
    return shown


@dataclass
class Edition:
    """What one reader gets of a newsletter."""

    newsletter: object
    intro: str  # sanitized HTML, empty when the reader does not get it
    intro_text: str
    sections: list  # (section, sanitized HTML)

    @property
    def is_empty(self) -> bool:
        return not self.intro and not self.sections


def edition_for(
    viewer: Viewer, newsletter, sections=None, *, public: bool = False, already_shown: bool = False
) -> Edition:
    """Return the newsletter as this reader (or, `public`, a visitor) gets it; `already_shown`: the sections
    given are those `sections_for` gave this reader."""
    sections = list(newsletter.sections.all()) if sections is None else sections
    shown = sections if already_shown else sections_for(viewer, sections, public=public)
    intro_shown = newsletter.intro_tlp == TLP.CLEAR if public else True
    return Edition(
        newsletter=newsletter,
        intro=markdown_html(newsletter.intro) if intro_shown else "",
        intro_text=newsletter.intro if intro_shown else "",
        sections=[(section, markdown_html(section.body)) for section in shown],
    )


def shown_sections(viewer: Viewer, newsletters, *, public: bool = False) -> dict[int, list]:
    """Return {newsletter pk: the sections this reader gets} for many newsletters at once (their sections
    prefetched): one question of `visible_to` a kind of record for them all, so a list costs what one does."""
    newsletters = list(newsletters)
    reader = ANONYMOUS if public else viewer
    every = [section for newsletter in newsletters for section in newsletter.sections.all()]
    seen = visible_sources(reader, [s for s in every if not public or s.tlp == TLP.CLEAR])
    return {
        newsletter.pk: sections_for(viewer, newsletter.sections.all(), public=public, seen=seen)
        for newsletter in newsletters
    }
