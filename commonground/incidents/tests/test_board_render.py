"""What the board writes with its own helpers is what Django's filters write."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from commonground.core.visibility import ANONYMOUS
from commonground.incidents import selectors
from commonground.incidents.models import Incident

FILTERS = Template("""<time datetime="{{ v|date:'c' }}">{{ v|date:"M j, H:i" }}</time>""")
TAG = Template("{% load incident_tags %}{% time_element v %}")


def test_a_time_element_is_what_the_date_filters_write_in_each_zone_and_language():
    moment = datetime.datetime(2026, 12, 3, 4, 30, tzinfo=datetime.UTC)
    for zone in ("America/Detroit", "America/Los_Angeles", "UTC"):
        for language in ("en", "es"):
            with timezone.override(zone), translation.override(language):
                expected = FILTERS.render(Context({"v": moment}))
                assert TAG.render(Context({"v": moment})) == expected, (zone, language)
    assert TAG.render(Context({"v": None})) == FILTERS.render(Context({"v": None}))


@pytest.mark.django_db
def test_a_compiled_rule_refuses_to_be_read_inside_another_query():
    # Its SQL names the table: inside another query the table takes an alias the raw SQL would not follow.
    board_incidents = selectors.board_incidents(viewer=ANONYMOUS)
    assert list(board_incidents) == []
    with pytest.raises(ValueError, match="cannot be read inside another query"):
        Incident.objects.filter(pk__in=board_incidents.values("pk"))
