"""The Atom feed of a community's CAP alerts, with TLP applied to the reader.

A visitor's feed holds the TLP:CLEAR alerts only; a member's session gives the alerts their organization may
see (`selectors.alert_list`). Each entry links to the alert's CAP 1.2 XML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.translation import gettext as _

from commonground.communities.models import Community
from commonground.core.tlp import TLP, mark_response, narrowest
from commonground.core.viewer import viewer_for
from commonground.core.visibility import Viewer

from . import selectors
from .cap import CAP_CONTENT_TYPE, info_text, parse_alert
from .models import Alert

# The newest alerts a feed holds.
FEED_LENGTH = 100


@dataclass
class AlertFeedPage:
    community: Community
    viewer: Viewer
    alerts: list[Alert] = field(default_factory=list)

    @property
    def shows_community(self) -> bool:
        """Whether the reader may see the community itself (its name is the table's, TLP:GREEN)."""
        return self.viewer.is_member_of(self.community.pk)

    @property
    def marking(self) -> str:
        """The narrowest marking the feed shows: its alerts', and TLP:GREEN where it names the community."""
        floor = TLP.GREEN if self.shows_community else TLP.CLEAR
        return narrowest([floor, *(alert.tlp for alert in self.alerts)])


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class CommunityAlertFeed(Feed):
    feed_type = Atom1Feed
    language = "en-us"

    def __call__(self, request, slug: str):
        page = self.get_object(request, slug)
        feed = self.get_feed(page, request)
        response = HttpResponse(content_type=feed.content_type)
        feed.write(response, "utf-8")
        mark_response(response, page.marking)
        if page.marking != TLP.CLEAR:
            response["Cache-Control"] = "private"
        return response

    def get_object(self, request, slug: str) -> AlertFeedPage:
        viewer = viewer_for(request.user)
        community = Community.objects.with_slug(slug).first()
        if community is None:
            raise Http404
        alerts = list(selectors.alert_list(viewer=viewer, community=community)[:FEED_LENGTH])
        page = AlertFeedPage(community=community, viewer=viewer, alerts=alerts)
        if not alerts and not page.shows_community:
            # Another community's feed with nothing public in it is missing, as its pages are.
            raise Http404
        return page

    def title(self, page: AlertFeedPage) -> str:
        if page.shows_community:
            return _("%(community)s: incident alerts") % {"community": page.community.name}
        return _("Public incident alerts (%(slug)s)") % {"slug": page.community.slug}

    def subtitle(self, page: AlertFeedPage) -> str:
        return _("CAP 1.2 alerts of the partnership's incidents; each entry links to the alert's XML.")

    def link(self, page: AlertFeedPage) -> str:
        if page.shows_community:
            return _site(reverse("communities:dashboard", args=[page.community.slug]))
        return _site("/")

    def feed_url(self, page: AlertFeedPage) -> str:
        return _site(reverse("incidents:alert_feed", args=[page.community.slug]))

    def items(self, page: AlertFeedPage) -> list[Alert]:
        return page.alerts

    def item_title(self, alert: Alert) -> str:
        return f"[{alert.tlp}] {alert.headline}"

    def item_description(self, alert: Alert) -> str:
        root = parse_alert(alert.xml)
        return f"{info_text(root, 'description')}\n\n{info_text(root, 'instruction')}".strip()

    def item_link(self, alert: Alert) -> str:
        return _site(alert.get_absolute_url())

    def item_guid(self, alert: Alert) -> str:
        return _site(alert.get_absolute_url())

    def item_guid_is_permalink(self, alert: Alert) -> bool:
        return True

    def item_pubdate(self, alert: Alert):
        return alert.sent

    def item_updateddate(self, alert: Alert):
        return alert.sent

    def item_categories(self, alert: Alert) -> list[str]:
        categories = [alert.msg_type, alert.tlp]
        if alert.incident.is_exercise:
            categories.append("Exercise")
        return categories

    def item_enclosures(self, alert: Alert) -> list[Enclosure]:
        size = len(alert.xml.encode("utf-8"))
        return [Enclosure(_site(alert.get_absolute_url()), str(size), CAP_CONTENT_TYPE)]
