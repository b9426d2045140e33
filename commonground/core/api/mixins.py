"""Pieces every app's API shares."""

from rest_framework import mixins, serializers, viewsets

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


def fixed_removed(serializer, fixed: tuple[str, ...]) -> dict:
    """The validated data without the fields a record keeps for life; changing one is a 400."""
    data = dict(serializer.validated_data)
    for name in fixed:
        if name in data and data[name] != getattr(serializer.instance, name):
            raise serializers.ValidationError(
                {name: ["This stays as it was recorded; record a new one instead."]}
            )
        data.pop(name, None)
    return data
