"""A place typed as a ZIP code, a "City, ST" or coordinates is one point, found offline in the ZIP data."""

import pytest
from django.core.exceptions import ValidationError

from commonground.core.places import resolve_place

LANSING = (42.7325, -84.5555)  # the main post office's point, which its PO boxes share


def test_a_place_in_three_notations_resolves_to_the_same_point():
    zip_code, city, coordinates = "48901", "Lansing, MI", "42.7325,-84.5555"
    assert resolve_place(zip_code) == resolve_place(city) == resolve_place(coordinates) == LANSING


@pytest.mark.parametrize(
    "text", ["lansing, mi", "  Lansing ,MI ", "48901-1234", "42.7325, -84.5555", "42.7325 -84.5555"]
)
def test_a_place_is_read_loosely(text):
    assert resolve_place(text) == LANSING


def test_a_city_abbreviated_as_people_write_it_is_found():
    assert resolve_place("St. Louis, MO") == resolve_place("Saint Louis, MO")
    assert resolve_place("Ft Wayne, IN") == resolve_place("Fort Wayne, IN")


def test_a_zip_code_is_its_own_centroid():
    assert resolve_place("48933") == (42.7334, -84.5571)


@pytest.mark.parametrize(
    ("text", "code"),
    [("Atlantis, ZZ", "unknown_city"), ("Lansing, CA", "unknown_city"), ("00000", "unknown_zip"),
     ("91,10", "out_of_range"), ("somewhere", "invalid"), ("", "invalid")],
)  # fmt: skip
def test_a_place_that_cannot_be_resolved_is_an_error_saying_why(text, code):
    with pytest.raises(ValidationError) as error:
        resolve_place(text)
    assert error.value.code == code


@pytest.mark.parametrize("text", ["1" + " " * 20_000 + "x", "1" + " " * 300 + "2", "4" * 201])
def test_a_long_place_is_refused_at_once_whatever_it_holds(text):
    # The coordinates' pattern once backtracked over runs of spaces: 20,000 of them took seconds.
    with pytest.raises(ValidationError) as refused:
        resolve_place(text)
    assert refused.value.code in ("max_length", "unknown", "invalid")


def test_coordinates_are_read_with_a_comma_a_semicolon_or_spaces_between():
    assert resolve_place("42.73, -84.55") == resolve_place("42.73;-84.55") == resolve_place("42.73   -84.55")
