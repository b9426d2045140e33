"""The profile page: name, language, time zone and the mail a user wants, each write audited."""

import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.accounts.choices import MANDATORY, OPTIONAL, MailKind
from commonground.core.models import AuditEntry
from commonground.core.timezones import time_zone_names
from commonground.core.viewer import ViewerMixin
from commonground.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROFILE = "/accounts/profile/"
HYPOTHESIS = settings(max_examples=25)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_of(user, **changes) -> dict:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "mail_wanted": [k.value for k in OPTIONAL if k.value not in user.mail_unwanted],
    }
    return {**data, **changes}


def user_row(user) -> tuple:
    user.refresh_from_db()
    return (user.first_name, user.last_name, user.email, user.language, user.time_zone, user.mail_unwanted)


def test_a_visitor_is_sent_to_log_in():
    response = Client().get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_footer_links_the_profile_for_a_signed_in_user():
    assert b'href="/accounts/profile/"' in signed_in(UserFactory()).get("/communities/").content
    assert b'href="/accounts/profile/"' not in Client().get("/accounts/login/").content


def test_saving_the_profile_changes_it_and_writes_an_audit_entry():
    user = UserFactory(first_name="Ann")
    response = signed_in(user).post(
        PROFILE,
        form_of(
            user, first_name="Ana", last_name="Ruiz", time_zone="America/Chicago", mail_wanted=["reminders"]
        ),
    )
    assert response.status_code == 302 and response["Location"] == PROFILE
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.time_zone) == ("Ana", "Ruiz", "America/Chicago")
    assert set(user.mail_unwanted) == {
        "task_assigned",
        "issue_news",
        "incident_alerts",
        "introductions",
        "credential_activations",
        "newsletters",
    }
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    )
    assert entry.actor == user and entry.changes["first_name"] == ["Ann", "Ana"]


def test_the_language_of_the_profile_wins_over_the_cookie_and_the_switcher_saves_it():
    user = UserFactory()
    client = signed_in(user)
    client.post(PROFILE, form_of(user, language="es"))
    page = client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en")
    assert b'<html lang="es">' in page.content
    client.post("/accounts/language/", {"language": "en", "next": PROFILE})
    user.refresh_from_db()
    assert user.language == "en"
    assert b'<html lang="en">' in client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="es").content


def test_the_switcher_saves_nothing_for_a_visitor(client):
    assert client.post("/accounts/language/", {"language": "es", "next": "/"}).status_code == 302


def test_a_users_time_zone_wins_over_the_communitys(table):
    user = table.member
    user.time_zone = "Asia/Tokyo"
    user.save()

    class View:
        def dispatch(self, request, *args, **kwargs):
            return timezone.get_current_timezone_name()

    class Page(ViewerMixin, View):
        community = table.community

    from commonground.accounts.middleware import PreferencesMiddleware

    request = RequestFactory().get("/c/riverbend/")
    request.user = user
    PreferencesMiddleware.activate(request, user)
    try:
        assert Page().dispatch(request) == "Asia/Tokyo"
        user.time_zone = ""
        timezone.deactivate()
        assert Page().dispatch(request) == table.community.time_zone
    finally:
        timezone.deactivate()


def test_a_users_time_zone_shows_on_a_page_without_a_community():
    user = UserFactory(time_zone="Asia/Tokyo")
    response = signed_in(user).get(PROFILE)
    # The session was signed in at this moment: its time reads on Tokyo's clock.
    shown = timezone.localtime(user.signed_in_sessions.get().signed_in_at, zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert shown.strftime("%-I:%M").encode() in response.content or shown.strftime("%H:%M").encode() in (
        response.content
    )


@HYPOTHESIS
@given(zone=st.text(max_size=40).filter(lambda z: z and z not in time_zone_names()))
def test_a_time_zone_that_is_not_one_is_a_field_error_and_changes_nothing(zone):
    user = UserFactory()
    before = user_row(user)
    response = signed_in(user).post(PROFILE, form_of(user, time_zone=zone, first_name="Changed"))
    assert response.status_code == 200 and "time_zone" in response.context["form"].errors
    assert user_row(user) == before


@HYPOTHESIS
@given(language=st.text(max_size=12).filter(lambda c: c not in ("", "en", "es")))
def test_a_language_not_offered_is_a_field_error_and_changes_nothing(language):
    user = UserFactory()
    before = user_row(user)
    response = signed_in(user).post(PROFILE, form_of(user, language=language))
    assert response.status_code == 200 and "language" in response.context["form"].errors
    assert user_row(user) == before


@HYPOTHESIS
@given(kinds=st.lists(st.text(max_size=20), min_size=1, max_size=3))
def test_a_kind_of_mail_not_offered_is_a_field_error_and_changes_nothing(kinds):
    offered = {k.value for k in MailKind if k not in MANDATORY}
    if set(kinds) <= offered:
        return
    user = UserFactory()
    before = user_row(user)
    response = signed_in(user).post(PROFILE, form_of(user, mail_wanted=kinds))
    assert response.status_code == 200 and "mail_wanted" in response.context["form"].errors
    assert user_row(user) == before


def test_the_service_refuses_another_users_profile():
    from django.core.exceptions import PermissionDenied

    from commonground.accounts.services import user_profile_update

    user, other = UserFactory(), UserFactory()
    before = user_row(user)
    with pytest.raises(PermissionDenied):
        user_profile_update(actor=other, user=user, data={"first_name": "Mallory"})
    assert user_row(user) == before
