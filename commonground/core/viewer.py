"""Build, once per request, the `Viewer` that the visibility rules read.

The membership facts live in the domain apps; settings.VIEWER_FACTORY names the function that
reads them, so core keeps no domain imports.
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
