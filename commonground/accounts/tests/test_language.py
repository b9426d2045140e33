"""The language switcher: Django's set_language behind a plain form, the choice kept in the language cookie."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

BOTH = [("en", "English"), ("es", "Spanish")]


@pytest.fixture
def spanish_offered(settings):
    settings.LANGUAGES = BOTH


@pytest.fixture
def english_only(settings):
    """What an installation whose Spanish catalogue is incomplete offers (`core.catalogues`)."""
    settings.LANGUAGES = [("en", "English")]


def test_a_spanish_browser_gets_spanish_now_that_its_catalogue_is_complete(client, db):
    assert [code for code, _ in django_settings.LANGUAGES] == ["en", "es"]
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert b'<html lang="es">' in page.content and "Iniciar sesión".encode() in page.content


def test_a_spanish_browser_gets_english_marked_english_while_spanish_is_not_offered(client, db, english_only):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert b'<html lang="en">' in page.content and b"Log in" in page.content
    assert b'class="language-switcher"' not in page.content


def test_the_switcher_posts_to_set_language_keeping_the_page_and_the_choice(client, db, spanish_offered):
    page = client.get("/accounts/login/?next=/communities/")
    assert b'action="/accounts/language/"' in page.content
    assert b'name="next" value="/accounts/login/?next=/communities/"' in page.content
    assert b'<button type="submit" name="language" value="es" lang="es"' in page.content
    switched = client.post(
        "/accounts/language/", {"language": "es", "next": "/accounts/login/?next=/communities/"}
    )
    assert switched.status_code == 302 and switched["Location"] == "/accounts/login/?next=/communities/"
    cookie = switched.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es" and cookie["max-age"] == 365 * 24 * 3600
    spanish = client.get("/accounts/login/")
    assert b'<html lang="es">' in spanish.content and "Iniciar sesión".encode() in spanish.content
    client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})
    assert b'<html lang="en">' in client.get("/accounts/login/").content


def test_the_switcher_refuses_a_post_without_its_csrf_token(db, spanish_offered):
    client = Client(enforce_csrf_checks=True)
    refused = client.post("/accounts/language/", {"language": "es", "next": "/"})
    assert refused.status_code == 403 and django_settings.LANGUAGE_COOKIE_NAME not in refused.cookies


def test_the_switcher_never_sends_the_reader_to_another_site(client, db, spanish_offered):
    switched = client.post("/accounts/language/", {"language": "es", "next": "https://example.com/"})
    assert switched.status_code == 302 and switched["Location"] == "/"


def test_a_language_that_is_not_offered_is_not_used_even_when_asked_for(client, db, english_only):
    client.post("/accounts/language/", {"language": "es", "next": "/accounts/login/"})
    assert b'<html lang="en">' in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es").content
