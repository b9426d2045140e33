"""A newsletter as one recipient's e-mail: their edition (TLP applied to them), a plain text and an HTML part,
and the one-click unsubscribe headers of RFC 2369 and RFC 8058.

Which sections a recipient gets is `rendering.sections_for`'s answer for them; a batch asks it once for each
class of readers who must get the same (`rendering.sections_by_reader`). The rendered text of one choice of
sections in one language is the same for everyone who gets that choice, so a batch keeps it (`Renderings`)
and only the recipient's own unsubscribe link is put in for each.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from commonground.core.viewer import viewer_for

from .rendering import edition_for, sections_for
from .tokens import unsubscribe_url

# Stands in the rendered mail for the recipient's own unsubscribe link.
LINK = "https://unsubscribe.invalid/newsletter-link"
# Stands in a preview for it: the recipient's own token is theirs alone.
PREVIEW_LINK = "https://unsubscribe.invalid/the-recipients-own-link"


class Renderings(dict):
    """(section ids shown, language) -> (edition, text, HTML), rendered with LINK for the unsubscribe link."""


def _rendered(newsletter, edition, language: str):
    context = {
        "newsletter": newsletter,
        "community": newsletter.community,
        "edition": edition,
        "unsubscribe_url": LINK,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    with translation.override(language):
        return (
            edition,
            render_to_string("newsletters/email/newsletter.txt", context),
            render_to_string("newsletters/email/newsletter.html", context),
        )


def newsletter_parts(
    newsletter, user, sections=None, *, shown_to=None, renderings: Renderings | None = None, shown=None
) -> dict:
    """Return the subject, text, HTML and headers of the newsletter as this login gets it. `shown_to`: the
    viewer of a co-chair previewing it, who is shown only what both they and the recipient may see; `shown`:
    the sections `sections_for` gives this login, already asked (`rendering.sections_by_reader`)."""
    if shown is None:
        sections = list(newsletter.sections.all()) if sections is None else sections
        if shown_to is not None:
            sections = sections_for(shown_to, sections)
        shown = sections_for(viewer_for(user), sections)
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    key = (tuple(section.pk for section in shown), language)
    if renderings is not None and key in renderings:
        edition, text, html = renderings[key]
    else:
        edition, text, html = _rendered(
            newsletter, edition_for(None, newsletter, shown, already_shown=True), language
        )
        if renderings is not None:
            renderings[key] = (edition, text, html)
    # A preview shows where the link goes, not the recipient's own token: with it, whoever previews could
    # unsubscribe the recipient.
    link = PREVIEW_LINK if shown_to is not None else unsubscribe_url(user)
    return {
        "subject": f"{newsletter.community.name}: {newsletter.subject}",
        "to": user.email,
        "text": text.replace(LINK, link),
        "html": html.replace(LINK, escape(link)),
        "headers": {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        "edition": edition,
    }


def newsletter_email(
    newsletter, user, sections=None, connection=None, renderings=None, shown=None
) -> EmailMultiAlternatives:
    parts = newsletter_parts(newsletter, user, sections, renderings=renderings, shown=shown)
    email = EmailMultiAlternatives(
        parts["subject"], parts["text"], None, [parts["to"]], connection=connection, headers=parts["headers"]
    )
    email.attach_alternative(parts["html"], "text/html")
    return email
