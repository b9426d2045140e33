"""The people list's rows, written in Python: the same HTML the template wrote, each text escaped.

A page of fifty people asked the template engine for an organization's address (a `reverse()`), a marking's
badge and the contact cell's template for each row: about a third of the page's server time.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape  # Django's own wraps it in a check for lazy text: twice the rows' time

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from commonground.core.tables import escaped_labels
from commonground.core.templatetags.commonground import tlp_badge

from .models import Person

URL_KEY = 918273645  # a key that stands for each row's organization in its reversed address
# What the rows read of a person and their organization: a page's query need read no more (`QuerySet.only`).
FIELDS = ("first_name", "last_name", "title", "email", "phone", "mobile", "contact_tlp", "organization__name")


def contact_html(person: Person) -> str:
    """Return a person's contact details as a list shows them: only where their marking admits the reader
    (`PersonQuerySet.with_contact_visibility`), else the word that they are withheld."""
    if not person.contact_visible:
        # Outside the f-string, where makemessages finds it.
        text = escape(_("withheld by its marking"))
        return f'<span class="masked">{text}</span>'
    email = f'<a href="mailto:{escape(person.email)}">{escape(person.email)}</a><br>' if person.email else ""
    mobile = f" · {escape(person.mobile)}" if person.mobile else ""
    return f"{email}{escape(person.phone)}{mobile}"


def people_rows_html(people: Iterable[Person]) -> SafeString:
    """Return the rows of the people list's table, for people read with `contact_visible` and their organization."""
    label = escaped_labels(
        ("name", _("Name")),
        ("organization", _("Organization")),
        ("title", _("Title")),
        ("contact", _("Contact")),
        ("marking", _("Marking")),
    )
    # Each row's organization address is the same but for its key: reversed once.
    before, after = (
        escape(part) for part in reverse("registry:organization_detail", args=[URL_KEY]).split(str(URL_KEY))
    )
    badges: dict[str, str] = {}
    html = []
    for p in people:
        if p.contact_tlp not in badges:
            badges[p.contact_tlp] = tlp_badge(p.contact_tlp)
        html.append(
            f'<tr><th scope="row" data-label="{label["name"]}">{escape(str(p))}</th>'
            f'<td data-label="{label["organization"]}"><a href="{before}{p.organization_id}{after}">'
            f"{escape(p.organization.name)}</a></td>"
            f'<td data-label="{label["title"]}">{escape(p.title)}</td>\n'
            f'  <td data-label="{label["contact"]}">{contact_html(p)}</td>'
            f'<td data-label="{label["marking"]}">{badges[p.contact_tlp]}</td></tr>'
        )
    if not html:
        # Outside the f-string, where makemessages finds it.
        text = escape(_("No people match."))
        return mark_safe(f'<tr><td colspan="5">{text}</td></tr>')  # noqa: S308 - escaped
    return mark_safe("\n".join(html))  # noqa: S308 - every text above is escaped
