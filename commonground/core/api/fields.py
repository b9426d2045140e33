"""Serializer fields every app's API shares."""

from rest_framework import serializers


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A record by its id, which must be a whole number: 24.5 or true is refused, not taken for 24 or 1.

    Django's integer lookups pass the value through int(), which truncates a float and counts a boolean
    as 0 or 1; a client that sent either meant something else, and is told so.
    """

    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, float) and not data.is_integer()):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)
