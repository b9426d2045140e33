"""The words of a free-text search, and the queries the text indexes of SQLite (FTS5) and PostgreSQL read."""

from __future__ import annotations

import re

WORD = re.compile(r"\w+", re.UNICODE)


def text_terms(text: str) -> list[str]:
    """Return the words of a search, without any operator the text engines would read as syntax."""
    return WORD.findall(text.lower())[:12]


def fts5_prefix_query(terms: list[str]) -> str:
    """Return an FTS5 query for rows holding every term as the start of a word."""
    return " ".join(f'"{term}"*' for term in terms)


def tsquery_prefix(terms: list[str]) -> str:
    """Return a to_tsquery('simple', ...) text for rows holding every term as the start of a word."""
    return " & ".join(f"{term}:*" for term in terms)
