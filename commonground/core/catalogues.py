"""Which languages the site may honestly offer: those whose translation catalogue is compiled and complete.

A page served in a language must be written in it: `<html lang="es">` over English text misleads screen
readers, search engines and the reader. So a language other than the default is offered (in LANGUAGES, hence
to the browser's Accept-Language, the language cookie and the switcher) only when its compiled catalogue
(`django.mo`) exists and its source catalogues (`django.po`, `djangojs.po` if any) translate at least
`minimum` of their messages. Read with the standard library alone: settings load before any app.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
DOMAINS = ("django", "djangojs")


def entries(text: str) -> Iterator[tuple[dict[str, str], bool]]:
    """Yield each message of a .po text as its fields and whether it is marked fuzzy (obsolete ones left out)."""
    for block in re.split(r"\n[ \t]*\n", text):
        fields: dict[str, str] = {}
        fuzzy, current = False, None
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#"):
                continue
            elif match := FIELD.match(line):
                current = match[1]
                fields[current] = match[2]
            elif line.startswith('"') and current:
                fields[current] += line.strip()[1:-1]
        if "msgid" in fields:
            yield fields, fuzzy


def catalogue_counts(po_file: Path) -> tuple[int, int]:
    """Return (translated, total) for the messages of a .po file; its header does not count."""
    translated = total = 0
    text = po_file.read_text(encoding="utf-8")
    # A plural message needs every form the language has (Spanish: three, "nplurals=3" in the header).
    forms = int(match[1]) if (match := re.search(r"nplurals\s*=\s*(\d+)", text)) else 2
    for fields, fuzzy in entries(text):
        if fields["msgid"] == "" and "msgctxt" not in fields:
            continue
        total += 1
        strings = [value for name, value in fields.items() if name.startswith("msgstr")]
        complete = "msgid_plural" not in fields or all(f"msgstr[{n}]" in fields for n in range(forms))
        translated += bool(strings) and all(strings) and complete and not fuzzy
    return translated, total


def translated_share(locale_dir: Path, code: str) -> float:
    """Return the share of a language's messages that its source catalogues translate."""
    messages = locale_dir / code / "LC_MESSAGES"
    counts = [
        catalogue_counts(messages / f"{domain}.po")
        for domain in DOMAINS
        if (messages / f"{domain}.po").exists()
    ]
    total = sum(count[1] for count in counts)
    return sum(count[0] for count in counts) / total if total else 0.0


def offered_languages(
    languages: Sequence[tuple[str, str]], default: str, locale_dir: Path, minimum: float
) -> list:
    """Return the languages the site offers: the default one, and each other whose catalogue is complete enough."""
    return [
        (code, name)
        for code, name in languages
        if code == default
        or (
            (locale_dir / code / "LC_MESSAGES" / "django.mo").exists()
            and translated_share(locale_dir, code) >= minimum
        )
    ]
