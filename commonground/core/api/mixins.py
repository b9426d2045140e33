"""Pieces every app's API shares."""

from functools import cached_property

from rest_framework import mixins, viewsets

from commonground.core.viewer import viewer_for


class ViewerMixin:
    """Give API views the viewer the visibility rules read."""

    @cached_property
    def viewer(self):
        return viewer_for(self.request.user)


class CreateReadDeleteViewSet(
    ViewerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Records that are made and removed but never edited in place (seats at a table, co-chairs)."""
