"""In Spanish: a reader switches with the footer's form, logs in, finds the navigation in Spanish under
`<html lang="es">`, and switches back. The server offers Spanish although its catalogue is still being
translated (TRANSLATION_MINIMUM=0, as a translator previews it); a production server waits for all of it."""

import re

import pytest

from .conftest import visit
from .server import Server
from .test_partnership_flow import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def spanish_server():
    with Server(extra_env={"TRANSLATION_MINIMUM": "0"}) as server:
        yield server


@pytest.fixture
def open_page(browser, spanish_server):
    contexts = []

    def make(javascript=True):
        context = browser.new_context(
            base_url=spanish_server.url, java_script_enabled=javascript, bypass_csp=True, locale="en-US"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def switch_to(page, language: str) -> None:
    with page.expect_navigation():
        page.locator("form.language-switcher").get_by_role("button", name=language).click()


def log_in(page, username: str, button: str) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(re.compile(r"/my-work/"))


def test_a_member_logs_in_and_works_in_spanish_then_switches_back(open_page):
    page = open_page()
    page.goto("/accounts/login/")
    assert html_lang(page) == "en"
    switch_to(page, "Español")
    assert page.url.endswith("/accounts/login/") and html_lang(page) == "es"
    assert page.get_by_role("heading", name="Iniciar sesión", level=1).is_visible()
    log_in(page, "member", "Iniciar sesión")
    navigation = page.get_by_role("navigation", name="Navegación principal")
    assert navigation.get_by_role("link", name="Mi trabajo").is_visible()
    assert navigation.get_by_role("button", name=re.compile("^Cerrar la sesión de member")).is_visible()
    assert html_lang(page) == "es"
    visit(page, "spanish-mywork")
    switch_to(page, "English")
    assert page.url.endswith("/my-work/") and html_lang(page) == "en"
    assert (
        page.get_by_role("navigation", name="Primary navigation")
        .get_by_role("link", name="My work")
        .is_visible()
    )


def test_the_switcher_works_without_javascript_and_the_choice_is_remembered(open_page):
    page = open_page(javascript=False)
    page.goto("/accounts/login/")
    switch_to(page, "Español")
    page.goto("/")
    assert html_lang(page) == "es"
    assert page.get_by_role("link", name="Saltar al contenido principal").count() == 1
    switch_to(page, "English")
    assert html_lang(page) == "en"
