"""Serializer fields every app's API shares."""

from django.apps import apps
from rest_framework import serializers

from commonground.core.viewer import Viewer, viewer_for


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A record by its id, which must be a whole number: 24.5 or true is refused, not taken for 24 or 1.

    Django's integer lookups pass the value through int(), which truncates a float and counts a boolean
    as 0 or 1; a client that sent either meant something else, and is told so.
    """

    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, float) and not data.is_integer()):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class VisibleRecords:
    """A related field whose choices are the records the requester may see; any other is "does not exist".

    A field names its `model` (on the class, or as `model=`), or its label ("registry.Organization") where
    the model is an app above the field's (as foreign keys name them); the choices are
    `model.objects.visible_to(viewer)` for the request's viewer. A model with no `visible_to` of its own
    overrides `records`.
    """

    model = None

    def __init__(self, *args, model=None, **kwargs):
        if model is not None:
            self.model = model
        super().__init__(*args, **kwargs)

    def records(self, viewer: Viewer):
        model = apps.get_model(self.model) if isinstance(self.model, str) else self.model
        return model.objects.visible_to(viewer)

    def get_queryset(self):
        return self.records(viewer_for(self.context["request"].user))


class VisibleRelatedField(VisibleRecords, PrimaryKeyRelatedField):
    """A record the requester may see, by its whole-number id."""
