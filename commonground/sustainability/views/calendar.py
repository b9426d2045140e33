"""The partnership's calendar: the page that gives its subscription address, and the iCalendar feed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.communities.models import Community
from commonground.core.viewer import viewer_for

from .. import selectors
from ..calendar import community_calendar, feed_token, read_feed_token


def calendar_response(*, viewer, community) -> HttpResponse:
    body = community_calendar(
        community=community,
        meetings=selectors.meeting_list(viewer=viewer, community=community),
        tasks=selectors.task_list(viewer=viewer, community=community),
        site_url=settings.SITE_URL.rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{community.slug}-partnership.ics"'
    return response


class CalendarView(CommunityMixin, TemplateView):
    """How to put the partnership's meetings and task due dates in one's own calendar."""

    template_name = "sustainability/calendar.html"
    step = 6

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "ics":
            return calendar_response(viewer=self.viewer, community=self.community)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        token = feed_token(user=self.request.user, community=self.community)
        path = reverse("sustainability:calendar_feed", args=[token])
        return super().get_context_data(feed_url=f"{settings.SITE_URL.rstrip('/')}{path}", **kwargs)


@method_decorator(login_not_required, name="dispatch")
class CalendarFeedView(View):
    """The feed a calendar program subscribes to: what the token's user may see, as on the pages."""

    def get(self, request, token: str):
        ids = read_feed_token(token)
        user = get_user_model().objects.filter(pk=ids[0], is_active=True).first() if ids else None
        if user is None:
            raise Http404
        viewer = viewer_for(user)
        community = Community.objects.visible_to(viewer).filter(pk=ids[1]).first()
        if community is None:
            raise Http404
        return calendar_response(viewer=viewer, community=community)
