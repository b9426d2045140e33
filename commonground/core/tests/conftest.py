"""The worlds of the cross-app checks, each built once for each module that asks for it and rolled back after it:
the leak world (marker records in every marking) and the permission matrix's (every app's rows)."""

import pytest
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from commonground.conftest import build_table
from commonground.core.testing import ROLES, World
from commonground.core.testing import build_world as build_matrix_world

from .leak_records import LeakWorld
from .leak_world import build_world

LEAK_SETTINGS = dict(
    SECURE_SSL_REDIRECT=False,
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    SITE_URL="http://testserver",
    WHITENOISE_AUTOREFRESH=True,
)


@pytest.fixture(scope="module")
def leak_world(django_db_setup, django_db_blocker, tmp_path_factory) -> LeakWorld:
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, **LEAK_SETTINGS),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory) -> World:
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, **LEAK_SETTINGS),
        transaction.atomic(),
    ):
        built = build_matrix_world(build_table())
        built.media = media
        built.sign_in()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def leak_clients(leak_world) -> dict[str, APIClient]:
    """A client for each role, logged in (for pages and the API alike), anonymous for the visitor."""
    made = {}
    for role in ROLES:
        client = APIClient()
        if leak_world.user(role) is not None:
            client.force_login(leak_world.user(role))
        made[role] = client
    return made
