"""Every page whose address holds a record's key answers a key beyond any database's integers (a typed or
forged address) without a server error: the ORM finds nothing for it, and so must every read by kept SQL, to which
the key is a parameter (SQLite's driver refused one beyond 64 bits)."""

import re

from django.urls import get_resolver

from commonground.core.testing import page_client


def _patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        if hasattr(p, "url_patterns"):
            yield from _patterns(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def test_no_page_errs_on_a_key_beyond_the_database_s_integers(table):
    client = page_client(table.cochair)
    bad, tried = [], 0
    for pattern in _patterns(get_resolver()):
        if "<int:" not in pattern or pattern.startswith("^") or "(?P" in pattern:
            continue
        path = "/" + re.sub(r"<int:\w+>", "99999999999999999999999", pattern)
        path = re.sub(r"<slug:\w+>", "riverbend", path)
        path = re.sub(r"<[^>]+>", "x", path)
        status = client.get(path).status_code
        tried += 1
        if status >= 500:
            bad.append((path, status))
    assert tried > 40 and bad == []
