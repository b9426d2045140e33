"""A language is offered only when its catalogue is compiled and translates enough of its messages."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings

from commonground.core.catalogues import catalogue_counts, offered_languages, translated_share
from commonground.core.catalogues import entries as catalogue_entries

HEADER = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n'
LANGUAGES = [("en", "English"), ("es", "Spanish")]


def write_catalogue(locale: Path, body: str, *, compiled: bool = True) -> None:
    messages = locale / "es" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(HEADER + "\n" + body, encoding="utf-8")
    if compiled:
        (messages / "django.mo").write_bytes(b"")


def test_counts_leave_out_the_header_and_count_fuzzy_empty_and_half_plural_messages_as_untranslated(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        HEADER
        + '\nmsgid "Log in"\nmsgstr "Iniciar sesión"\n'
        + '\n#, fuzzy\nmsgid "Log out"\nmsgstr "Salir"\n'
        + '\nmsgid ""\n"Menu of "\n"the site"\nmsgstr ""\n'
        + '\nmsgid "one task"\nmsgid_plural "%(n)s tasks"\nmsgstr[0] "una tarea"\nmsgstr[1] ""\n'
        + '\nmsgid "one goal"\nmsgid_plural "%(n)s goals"\nmsgstr[0] "una meta"\nmsgstr[1] "%(n)s metas"\n'
        + '\n#~ msgid "Gone"\n#~ msgstr "Ido"\n',
        encoding="utf-8",
    )
    assert catalogue_counts(po) == (2, 5)


def test_a_plural_message_needs_every_form_the_language_has(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        HEADER.replace("nplurals=2; plural=n != 1", "nplurals=3; plural=n == 1 ? 0 : 2")
        + '\nmsgid "one task"\nmsgid_plural "%(n)s tasks"\nmsgstr[0] "una tarea"\nmsgstr[1] "%(n)s tareas"\n'
        + '\nmsgid "one goal"\nmsgid_plural "%(n)s goals"\nmsgstr[0] "una meta"\nmsgstr[1] "%(n)s metas"\n'
        + 'msgstr[2] "%(n)s metas"\n',
        encoding="utf-8",
    )
    assert catalogue_counts(po) == (1, 2)


def test_a_language_without_a_compiled_catalogue_is_not_offered(tmp_path):
    write_catalogue(tmp_path, 'msgid "Log in"\nmsgstr "Iniciar sesión"\n', compiled=False)
    assert offered_languages(LANGUAGES, "en", tmp_path, 0.0) == [("en", "English")]


def test_a_language_is_offered_only_once_its_catalogue_is_translated_enough(tmp_path):
    write_catalogue(tmp_path, 'msgid "Log in"\nmsgstr "Iniciar sesión"\n\nmsgid "Menu"\nmsgstr ""\n')
    assert translated_share(tmp_path, "es") == 0.5
    assert offered_languages(LANGUAGES, "en", tmp_path, 1.0) == [("en", "English")]
    assert offered_languages(LANGUAGES, "en", tmp_path, 0.5) == LANGUAGES


def test_the_spanish_catalogue_translates_every_message_so_spanish_is_offered():
    # A new message without its Spanish fails here: `make messages`, then fill its msgstr.
    locale = Path(settings.LOCALE_PATHS[0])
    assert translated_share(locale, "es") == 1
    assert offered_languages(LANGUAGES, "en", locale, 1.0) == LANGUAGES


# What `make messages` extracts: the same command and ignore patterns as the Makefile's target.
EXTRACTED = {
    "django": ["static/*", "*/tests/*", "conftest.py"],
    "djangojs": ["static/vendor/*", "node_modules/*", "*/tests/*"],
}
NOT_SOURCE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "tests", "vendor", "node_modules")


def messages(po_file: Path) -> dict[tuple[str, str], bool]:
    """Return each message of a .po or .pot file, keyed by (context, id), with whether it is translated."""
    found = {}
    for fields, fuzzy in catalogue_entries(po_file.read_text(encoding="utf-8")):
        if fields["msgid"] == "" and "msgctxt" not in fields:
            continue  # the header
        strings = [value for name, value in fields.items() if name.startswith("msgstr")]
        found[fields.get("msgctxt", ""), fields["msgid"]] = bool(strings) and all(strings) and not fuzzy
    return found


def source_state(folder: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_every_message_of_the_code_is_in_the_spanish_catalogue_and_translated(tmp_path, monkeypatch):
    # test_the_spanish_catalogue... reads the .po alone: a word added to the code without `make messages`
    # (so missing from the .po) would pass it. This extracts the code's words as `make messages` does,
    # into a copy of the package, and looks each up in the committed catalogues.
    from django.core.management import call_command
    from django.test import override_settings

    locale = Path(settings.LOCALE_PATHS[0])
    package = locale.parent
    copy = tmp_path / "commonground"
    shutil.copytree(package, copy, ignore=NOT_SOURCE)
    before = source_state(locale)
    monkeypatch.chdir(copy)
    problems = []
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        for domain, ignored in EXTRACTED.items():
            call_command(
                "makemessages", locale=["es"], domain=domain, ignore_patterns=ignored, keep_pot=True,
                add_location="file", verbosity=0,
            )  # fmt: skip
            extracted = messages(copy / "locale" / f"{domain}.pot")
            committed_file = locale / "es" / "LC_MESSAGES" / f"{domain}.po"
            committed = messages(committed_file) if committed_file.exists() else {}
            assert extracted, f"nothing extracted for {domain}"
            problems += [
                f"{domain}: {'untranslated' if key in committed else 'missing'}: {key[1]!r}"
                + (f" (context {key[0]!r})" if key[0] else "")
                for key in extracted
                if not committed.get(key)
            ]
    assert source_state(locale) == before, "the check wrote into the source tree"
    assert not problems, "run `make messages` and translate:\n" + "\n".join(problems)
