"""A newsletter as one recipient's e-mail: their edition (TLP applied to them), a plain text and an HTML part,
and the one-click unsubscribe headers of RFC 2369 and RFC 8058."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from commonground.core.viewer import viewer_for

from .rendering import edition_for, sections_for
from .tokens import unsubscribe_url


def newsletter_parts(newsletter, user, sections=None, *, shown_to=None) -> dict:
    """Return the subject, text, HTML and headers of the newsletter as this login gets it. `shown_to`: the
    viewer of a co-chair previewing it, who is shown only what both they and the recipient may see."""
    if shown_to is not None:
        sections = sections_for(shown_to, newsletter.sections.all() if sections is None else sections)
    edition = edition_for(viewer_for(user), newsletter, sections)
    link = unsubscribe_url(user)
    context = {
        "newsletter": newsletter,
        "community": newsletter.community,
        "edition": edition,
        "unsubscribe_url": link,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        text = render_to_string("newsletters/email/newsletter.txt", context)
        html = render_to_string("newsletters/email/newsletter.html", context)
    return {
        "subject": f"{newsletter.community.name}: {newsletter.subject}",
        "to": user.email,
        "text": text,
        "html": html,
        "headers": {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        "edition": edition,
    }


def newsletter_email(newsletter, user, sections=None, connection=None) -> EmailMultiAlternatives:
    parts = newsletter_parts(newsletter, user, sections)
    email = EmailMultiAlternatives(
        parts["subject"], parts["text"], None, [parts["to"]], connection=connection, headers=parts["headers"]
    )
    email.attach_alternative(parts["html"], "text/html")
    return email
