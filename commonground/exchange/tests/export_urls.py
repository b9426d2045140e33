"""Every export download of a community, read from the URLconf and the export registry, so that a new
export (a kind registered in an AppConfig, or a new route with `export` in its path) is checked by the
tests that walk them without anyone adding it to a list."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from commonground.core.exchange import EXPORTS
from commonground.exchange.views import ExportView


def _routes(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, URLPattern, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            yield prefix + str(pattern.pattern), pattern, namespace


def _choices(slug: str) -> dict[str, list[str]]:
    """The values each URL argument of an export route takes."""
    return {"slug": [slug], "kind": sorted(EXPORTS), "fmt": sorted(ExportView.content_types)}


def export_paths(slug: str) -> list[str]:
    """Return the path of every export of community `slug`: each registered kind in each format, and
    each other route whose path names an export (the resources' GeoJSON).

    A route taking an argument this does not know how to fill fails here, loudly, rather than being
    left out."""
    choices = _choices(slug)
    paths = []
    for route, pattern, namespace in _routes(get_resolver().url_patterns):
        if "export" not in route:
            continue
        name = namespace + pattern.name
        arguments = list(pattern.pattern.converters)
        unknown = set(arguments) - set(choices)
        assert not unknown, f"{route}: no values known for {sorted(unknown)}; add them to _choices"
        combinations = [{}]
        for argument in arguments:
            combinations = [{**c, argument: value} for c in combinations for value in choices[argument]]
        paths.extend(reverse(name, kwargs=kwargs) for kwargs in combinations)
    return paths
