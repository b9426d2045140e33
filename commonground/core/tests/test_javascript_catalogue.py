"""The scripts' words: the djangojs catalogue, served by this server to anyone (no login, no internet)."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.test import Client

from commonground.core.catalogues import entries

STATIC = Path(settings.BASE_DIR) / "commonground" / "static" / "commonground"
CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "djangojs.po"


def test_a_visitor_gets_the_catalogue_as_javascript_from_this_server(db):
    response = Client().get("/jsi18n/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"django.gettext" in response.content and b"django.interpolate" in response.content


def test_every_page_loads_the_catalogue_before_the_project_scripts(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert page.index('src="/jsi18n/"') < page.index("commonground/site.js")


def test_the_spanish_catalogue_serves_each_translated_word_of_the_scripts(db, settings):
    settings.LANGUAGES = [("en", "English"), ("es", "Spanish")]
    body = Client().get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});\n", body, re.S)
    served = json.loads(found[1]) if found else {}  # none while the catalogue is untranslated
    for fields, fuzzy in entries(CATALOGUE.read_text(encoding="utf-8")):
        if fields["msgid"] and fields.get("msgstr") and not fuzzy:
            assert served.get(fields["msgid"]) == fields["msgstr"]


def test_the_scripts_show_no_english_sentence_outside_gettext():
    sentence = re.compile(r"""(["'])[A-Z][a-z]+ [a-z][^"']*\1""")
    for script in STATIC.glob("*.js"):
        for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0]
            for match in sentence.finditer(code):
                assert "gettext(" in code[: match.start()], f"{script.name}:{number}: {match[0]}"
