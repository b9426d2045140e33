"""`{% kept %}`: a fragment rendered once for its values and kept; it sees nothing but its values, is kept apart
by language and time zone, and its forms carry each reader's own CSRF token."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone, translation

from commonground.core.templatetags import commonground as tags

FRAGMENT = Template(
    "{% load i18n commonground %}{% kept name=name %}{{ name }}|{{ secret }}|{% translate 'Log in' %}{% endkept %}"
)
MOMENT = Template("{% load commonground %}{% kept at=at %}{{ at|date:'c' }}{% endkept %}")
NESTED = {
    "row": Template("{% load commonground %}{% kept row=row %}{{ row.name }}{% endkept %}"),
    "tuple": Template("{% load commonground %}{% kept row=row %}{{ row.1 }}{% endkept %}"),
    "set": Template(
        "{% load commonground %}{% kept row=row %}{% for item in row %}{{ item }}{% endfor %}{% endkept %}"
    ),
}
FORM = Template(
    "{% load commonground %}{% kept name=name %}<form>{% csrf_token %}{{ name }}</form>{% endkept %}"
)


@dataclass(frozen=True)
class Row:
    name: str
    holder: object = None


def test_a_fragment_is_rendered_once_for_its_values(monkeypatch):
    rendered = []
    node = FRAGMENT.nodelist[1]
    original = node.nodelist.render
    monkeypatch.setattr(node.nodelist, "render", lambda context: rendered.append(1) or original(context))
    first = FRAGMENT.render(Context({"name": "zqFirst91"}))
    assert FRAGMENT.render(Context({"name": "zqFirst91"})) == first
    assert FRAGMENT.render(Context({"name": "zqSecond92"})) != first
    assert len(rendered) == 2


def test_a_fragment_sees_its_values_and_nothing_else():
    html = FRAGMENT.render(Context({"name": "zqName93", "secret": "zqSecret94"}))
    assert "zqName93" in html and "zqSecret94" not in html


def test_equal_values_of_other_types_are_kept_apart():
    """1 and True are equal, and so are a plain and a safe string of the same text: each is written its own way
    (a plain string is escaped), so each has a fragment of its own."""
    from django.utils.safestring import mark_safe

    text = "<b>zqMarkup95</b>"
    assert FRAGMENT.render(Context({"name": mark_safe(text)})).startswith(text)  # noqa: S308 - the test's own
    assert FRAGMENT.render(Context({"name": text})).startswith("&lt;b&gt;zqMarkup95")
    assert FRAGMENT.render(Context({"name": True})).startswith("True|")
    assert FRAGMENT.render(Context({"name": 1})).startswith("1|")


def test_equal_values_of_other_types_are_kept_apart_inside_tuples_and_rows():
    """A row or a tuple holding a safe string is equal to one holding the plain string: each is written its own way."""
    from django.utils.safestring import mark_safe

    text = "<b>zqNested98</b>"
    wraps = {
        "row": lambda value: Row(value),
        "tuple": lambda value: (1, value),
        "set": lambda value: frozenset([value]),
    }
    for kind, wrap in wraps.items():
        safe = NESTED[kind].render(Context({"row": wrap(mark_safe(text))}))  # noqa: S308 - the test's own
        plain = NESTED[kind].render(Context({"row": wrap(text)}))
        assert safe == text and plain == "&lt;b&gt;zqNested98&lt;/b&gt;", kind
    assert NESTED["row"].render(Context({"row": Row(True)})) == "True"
    assert NESTED["row"].render(Context({"row": Row(1)})) == "1"


def test_a_fragment_is_kept_apart_by_language_and_time_zone():
    with translation.override("en"):
        english = FRAGMENT.render(Context({"name": "zqLanguage95"}))
    with translation.override("es"):
        spanish = FRAGMENT.render(Context({"name": "zqLanguage95"}))
    assert "Log in" in english and spanish != english
    at = datetime.datetime(2026, 12, 3, 4, 30, tzinfo=datetime.UTC)
    with timezone.override("America/Detroit"):
        detroit = MOMENT.render(Context({"at": at}))
    with timezone.override("America/Los_Angeles"):
        los_angeles = MOMENT.render(Context({"at": at}))
    assert detroit == "2026-12-02T23:30:00-05:00" and los_angeles == "2026-12-02T20:30:00-08:00"


def test_a_kept_form_carries_each_reader_s_own_csrf_token():
    first = FORM.render(Context({"name": "zqForm96", "csrf_token": "zqTokenOne"}))
    second = FORM.render(Context({"name": "zqForm96", "csrf_token": "zqTokenTwo"}))
    assert 'value="zqTokenOne"' in first and 'value="zqTokenTwo"' in second
    assert "zqTokenOne" not in second and tags.CSRF_STAND_IN not in first + second
    assert "csrfmiddlewaretoken" not in FORM.render(Context({"name": "zqForm96"}))


@pytest.mark.django_db
def test_a_record_or_a_query_is_refused_as_a_value(table):
    for value in (
        table.community,
        (1, table.community),
        Row("x", table.community),
        type(table.community).objects.all(),
        object(),
    ):
        with pytest.raises(TemplateSyntaxError, match="a record, a query or an object"):
            FRAGMENT.render(Context({"name": value}))
    assert "zqPlain97" in FRAGMENT.render(Context({"name": Row("zqPlain97", (1, "two"))}))
