"""A language is offered only when its catalogue is compiled and translates enough of its messages."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from commonground.core.catalogues import catalogue_counts, offered_languages, translated_share

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
