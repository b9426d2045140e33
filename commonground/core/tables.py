"""What every table drawn in Python shares (`agenda.tables`, `registry.tables`, `risks.tables` and the others)."""

from __future__ import annotations

from django.utils.html import escape


def escaped_labels(*pairs: tuple[str, str]) -> dict[str, str]:
    """Return {column: its label, translated and escaped once}, for the `data-label` of each cell of every row."""
    return {name: escape(text) for name, text in pairs}
