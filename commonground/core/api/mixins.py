"""Pieces every app's API shares."""

from rest_framework import mixins, viewsets

from commonground.core.viewer import ViewerMixin


class CreateReadDeleteViewSet(
    ViewerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Records that are made and removed but never edited in place (seats at a table, co-chairs)."""
