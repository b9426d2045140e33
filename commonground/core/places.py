"""Places people type ("48933", "Lansing, MI", "42.73,-84.55") as a point, offline.

The `zipcodes` package ships every US ZIP code with its centroid, city and state; a city's point is read
from the same data, so no geocoding service is asked. Forms, filters and imports resolve a place here,
and only here.
"""

import re
from collections import Counter
from functools import lru_cache
from operator import itemgetter

import zipcodes
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

Point = tuple[float, float]

# Matched against the stripped text, one separator alternative at a time: linear on any input.
COORDINATES = re.compile(r"^([-+]?\d+(?:\.\d+)?)(?:\s*[,;]\s*|\s+)([-+]?\d+(?:\.\d+)?)$")
# No place is written in more characters than this; longer input is refused before any pattern reads it.
PLACE_MAX_LENGTH = 200
ZIP_CODE = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
CITY_STATE = re.compile(r"^\s*(.+?)\s*,\s*([A-Za-z]{2})\s*$")

PLACE_HELP = _('A ZIP code ("48933"), a city and state ("Lansing, MI") or coordinates ("42.7325,-84.5555").')


@lru_cache(maxsize=4096)
def zip_centroid(zip_code: str) -> Point | None:
    """Return (latitude, longitude) of a five-digit ZIP code's centroid, or None when unknown."""
    code = (zip_code or "").strip()[:5]
    if len(code) != 5 or not code.isdigit():
        return None
    try:
        matches = zipcodes.matching(code)
    except (TypeError, ValueError):
        return None
    if not matches or not matches[0].get("lat"):
        return None
    return float(matches[0]["lat"]), float(matches[0]["long"])


ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


def _city_key(city: str, state: str) -> tuple[str, str]:
    words = city.replace(".", " ").casefold().split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words), state.upper()


@lru_cache(maxsize=1)
def _city_points() -> dict[tuple[str, str], Point]:
    """Return each (city, state)'s point: the one most of its active ZIP codes share, the post office's.

    The ZIP data put a city's PO boxes and unique codes at its main post office, so the most frequent
    point of a city is its centre; a one-ZIP town is its ZIP's centroid. A tie goes to the lowest ZIP.
    """
    counts: dict[tuple[str, str], Counter] = {}
    for row in sorted(zipcodes.list_all(), key=itemgetter("zip_code")):
        if row.get("active") and row.get("lat"):
            point = (row["lat"], row["long"])
            for city in (row["city"], *row.get("acceptable_cities", ())):
                counts.setdefault(_city_key(city, row["state"]), Counter())[point] += 1
    return {key: _point(*found.most_common(1)[0][0]) for key, found in counts.items()}


def _point(latitude: str, longitude: str) -> Point:
    return float(latitude), float(longitude)


def city_point(city: str, state: str) -> Point | None:
    """Return the point of a US city given with its two-letter state, or None when the data lack it."""
    return _city_points().get(_city_key(city, state))


def resolve_place(text: str) -> Point:
    """Return the point of a ZIP code, a "City, ST" or "latitude,longitude"; raise ValidationError if none."""
    text = (text or "").strip()
    if len(text) > PLACE_MAX_LENGTH:
        raise ValidationError(
            _("A place is at most %(n)s characters.") % {"n": PLACE_MAX_LENGTH}, code="max_length"
        )
    if match := COORDINATES.match(text):
        latitude, longitude = float(match[1]), float(match[2])
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError(
                _("Latitude is between -90 and 90, longitude between -180 and 180."), code="out_of_range"
            )
        return latitude, longitude
    if match := ZIP_CODE.match(text):
        if point := zip_centroid(match[1]):
            return point
        raise ValidationError(
            _("No US ZIP code %(zip)s is known here."), code="unknown_zip", params={"zip": match[1]}
        )
    if match := CITY_STATE.match(text):
        if point := city_point(match[1], match[2]):
            return point
        raise ValidationError(
            _("No city %(place)s is known here: check the spelling, or give its ZIP code."),
            code="unknown_city",
            params={"place": text},
        )
    raise ValidationError(
        _("Give a ZIP code, a city and state, or coordinates: %(help)s"),
        code="invalid",
        params={"help": PLACE_HELP},
    )
