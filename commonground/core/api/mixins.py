"""Pieces every app's API shares."""

from rest_framework import serializers


def fixed_removed(serializer, fixed: tuple[str, ...], *, held: dict | None = None) -> dict:
    """The validated data without the fields a record keeps for life; changing one is a 400.

    `held` gives, for a field the record has several values of (an organization's communities),
    the values it has: naming one of them is no change.
    """
    data = dict(serializer.validated_data)
    for name in fixed:
        if name not in data:
            continue
        value = data.pop(name)
        kept = held[name] if held and name in held else [getattr(serializer.instance, name)]
        if value not in kept:
            raise serializers.ValidationError(
                {name: ["This stays as it was recorded; record a new one instead."]}
            )
    return data
