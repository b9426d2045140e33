"""An issue's endorsements drawn in Python, each label translated once.

The template engine drew each endorsement with four translated labels and two choices' displays: a fifth of
the issue page's server time. The markup is the one `agenda/issue_detail.html` drew (tests/test_tables.py
renders both and compares).
"""

from __future__ import annotations

from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from commonground.core.tables import escaped_labels


def endorsement_rows(endorsements) -> SafeString:
    """Return the endorsements table's body rows, every text escaped."""
    html = []
    label = escaped_labels(
        ("organization", _("Organization")),
        ("sector", _("Sector")),
        ("severity", _("Severity")),
        ("comment", _("Comment")),
    )
    sectors, severities = {}, {}
    for endorsement in endorsements:
        organization = endorsement.organization
        if organization.sector not in sectors:
            sectors[organization.sector] = escape(organization.get_sector_display())
        if endorsement.severity not in severities:
            severities[endorsement.severity] = escape(endorsement.get_severity_display())
        html.append(
            f'\n  <tr><th scope="row" data-label="{label["organization"]}">{escape(organization.name)}</th>'
            f'<td data-label="{label["sector"]}">{sectors[organization.sector]}</td>'
            f'<td data-label="{label["severity"]}">{severities[endorsement.severity]}</td>'
            f'<td data-label="{label["comment"]}">{conditional_escape(endorsement.comment)}</td></tr>\n  '
        )
    if not html:
        # Outside the f-string, where makemessages finds it.
        text = escape(_("No endorsement yet."))
        return mark_safe(f'<tr><td colspan="4">{text}</td></tr>')  # noqa: S308
    return mark_safe("".join(html))  # noqa: S308 - every text above is escaped
