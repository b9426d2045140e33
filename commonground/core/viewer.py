"""Build, once per request, the `Viewer` that the visibility rules read.

The membership facts live in the domain apps; settings.VIEWER_FACTORY names the function that
reads them, and settings.VIEWERS_FACTORY the one that reads them for many logins at once, so core keeps no
domain imports.
"""

from functools import cached_property

from django.conf import settings
from django.utils.module_loading import import_string

from .timezones import activate_zone_of
from .visibility import ANONYMOUS, Viewer

CACHE_ATTRIBUTE = "_commonground_viewer"


class ViewerMixin:
    """Give a page or API view the viewer the visibility rules read, computed once per request.

    A page that belongs to a community (its view has a `community`: the one its address names, or its
    record's) reads and shows its times in that community's zone, forms included, unless the reader chose a
    zone on their profile. API views have no
    `community` and answer in UTC: DRF authenticates after this dispatch, so none may be resolved here.
    """

    @cached_property
    def viewer(self) -> Viewer:
        return viewer_for(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if hasattr(type(self), "community"):
            activate_zone_of(self.community, user=request.user)
        return super().dispatch(request, *args, **kwargs)


def viewer_for(user) -> Viewer:
    """Return the viewer for a user, computed once and kept on the user object."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    viewer = getattr(user, CACHE_ATTRIBUTE, None)
    if viewer is None:
        viewer = import_string(settings.VIEWER_FACTORY)(user)
        setattr(user, CACHE_ATTRIBUTE, viewer)
    return viewer


def viewers_for(users) -> list[Viewer]:
    """Return the viewer of each user, in order, as `viewer_for` would: those not yet known read together
    (one query, not one a user: the mail of a batch of recipients), each kept on its user object."""
    users = list(users)
    missing = {
        user.pk: user
        for user in users
        if user is not None and user.is_authenticated and getattr(user, CACHE_ATTRIBUTE, None) is None
    }
    if missing:
        found = import_string(settings.VIEWERS_FACTORY)(list(missing.values()))
        for user in users:
            if user is not None and user.pk in missing and getattr(user, CACHE_ATTRIBUTE, None) is None:
                setattr(user, CACHE_ATTRIBUTE, found[user.pk])
    return [viewer_for(user) for user in users]
