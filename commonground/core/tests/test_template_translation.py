"""Every word a template shows passes through a translation tag, so translating is filling in a catalogue.

The check reads each template under `commonground/**/templates` as a translator's tool would: Django's
tags, variables and comments are blanked (newlines kept, so line numbers hold), the text inside
`{% blocktranslate %}` and `{% comment %}` with them; what HTML then shows (text between tags, outside
`<script>` and `<style>`) must hold no letters but those of a short list of proper names.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import commonground

PACKAGE = Path(commonground.__file__).resolve().parent
TEMPLATE_SUFFIXES = {".html", ".txt"}
TOKEN = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
# A block whose content is translated (or never shown) as a whole: its opening tag and its closing one.
BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment"}
# Names that stay as they are in every language: the product, the standards' own labels.
PROPER_NAMES = (
    "Common Ground",
    "TLP:CLEAR",
    "TLP:GREEN",
    "TLP:AMBER+STRICT",
    "TLP:AMBER",
    "TLP:RED",
    "TLP:",
    "TLP",
    "CAP",
    "ICS",
    "CSV",
    "PDF",
    "QR",
    "API",
    "OpenAPI",
    "JSON",
    # SI unit symbols, the same in every language
    "km",
    "h",
    "s",
)
NAMES = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in PROPER_NAMES))
LETTER = re.compile(r"[^\W\d_]")
# Attributes a reader sees or hears: tooltips, placeholders, alternative text, accessible names.
SHOWN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}


def shows_words(text: str) -> bool:
    """Whether a text holds letters once the proper names are set aside."""
    return bool(LETTER.search(NAMES.sub(" ", text)))


def blank(text: str) -> str:
    """Keep a text's newlines and nothing else, so that what follows keeps its line number."""
    return "\n" * text.count("\n")


def without_template_language(source: str) -> str:
    """Return the template with its tags, variables, comments and translated blocks blanked."""
    out, closing, position = [], None, 0
    for match in TOKEN.finditer(source):
        between = source[position : match.start()]
        out.append(blank(between) if closing else between)
        token = match.group()
        words = token[2:-2].split()
        name = words[0] if token.startswith("{%") and words else ""
        if closing is None and name in BLOCKS:
            closing = BLOCKS[name]
        elif name == closing:
            closing = None
        out.append(blank(token))
        position = match.end()
    out.append(blank(source[position:]) if closing else source[position:])
    return "".join(out)


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        button = tag == "input" and ("type", "submit") in attrs
        for name, value in attrs:
            if (name in SHOWN_ATTRIBUTES or (button and name == "value")) and value and shows_words(value):
                self.found.append((self.getpos()[0], f"{name}={value!r}"))

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if self._hidden:
            return
        if shows_words(data):
            leading = data[: len(data) - len(data.lstrip())]
            line = self.getpos()[0] + leading.count("\n")
            self.found.append((line, " ".join(data.split())))


def untranslated_text(source: str) -> list[tuple[int, str]]:
    """Return (line, text) for each piece of shown text that no translation tag holds."""
    finder = _TextFinder()
    finder.feed(without_template_language(source))
    finder.close()
    return finder.found


def template_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.glob("**/templates/**/*")
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
    )


def test_the_checker_finds_bare_text_and_passes_translated_text():
    source = (
        '{% load i18n %}<h1>{% translate "Log in" %}</h1>\n'
        "<p>{% blocktranslate with n=count %}{{ n }} open tasks{% endblocktranslate %}</p>\n"
        "{% comment %}Only for developers{% endcomment %}<span>{{ community.name }} · 3 →</span>\n"
        "<p>Common Ground</p><script>say('hello')</script>\n"
        "<p>\n  Forgotten words\n</p>\n"
    )
    assert untranslated_text(source) == [(6, "Forgotten words")]


def test_every_template_translates_its_text():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {text}"
        for path in template_files()
        for line, text in untranslated_text(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "wrap in {% translate %} or {% blocktranslate %}:\n" + "\n".join(offenders)
