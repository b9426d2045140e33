"""Pieces every app's API shares."""

from functools import cached_property

from commonground.core.viewer import viewer_for


class ViewerMixin:
    """Give API views the viewer the visibility rules read."""

    @cached_property
    def viewer(self):
        return viewer_for(self.request.user)
