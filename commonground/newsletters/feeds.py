"""The Atom feed of a community's public newsletter editions: each entry holds only the TLP:CLEAR parts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from commonground.core.visibility import ANONYMOUS

from . import selectors
from .rendering import edition_for, shown_sections
from .views import public_community

FEED_LENGTH = 50


class PublicEditionFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        return public_community(slug)

    def title(self, community):
        return _("Newsletter")

    def link(self, community):
        return reverse("newsletters:public", kwargs={"slug": community.slug})

    def feed_url(self, community):
        return settings.SITE_URL.rstrip("/") + reverse("newsletters:feed", kwargs={"slug": community.slug})

    def subtitle(self, community):
        return _("The public editions of a partnership's newsletter.")

    def items(self, community):
        editions = list(
            selectors.public_editions(community=community)
            .select_related("community")
            .prefetch_related("sections")[:FEED_LENGTH]
        )
        shown = shown_sections(ANONYMOUS, editions, public=True)
        for edition in editions:
            edition.shown_sections = shown[edition.pk]
        return editions

    def item_title(self, item):
        return item.subject

    def item_description(self, item):
        edition = edition_for(ANONYMOUS, item, item.shown_sections, public=True, already_shown=True)
        parts = [edition.intro] + [
            f"<h2>{escape(section.heading)}</h2>{html}" for section, html in edition.sections
        ]
        return "".join(parts)

    def item_link(self, item):
        return reverse("newsletters:public_detail", kwargs={"slug": item.community.slug, "pk": item.pk})

    def item_pubdate(self, item):
        return item.sent_at

    def item_updateddate(self, item):
        return item.sent_at
