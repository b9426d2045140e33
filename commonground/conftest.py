"""Fixtures every app's tests share: a community at its table, and a user in each role."""

from dataclasses import dataclass
from itertools import count

import pytest
from django.test import override_settings
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from commonground.communities.tests.factories import CoChairFactory, CommunityFactory, MembershipFactory
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory, UserFactory

# Every property test: no deadline (a shared machine is slow at random) and function-scoped fixtures allowed
# (each example rolls back inside the test's transaction). A test's own `@settings` says only how many examples.
hypothesis_settings.register_profile(
    "commonground", deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
hypothesis_settings.load_profile("commonground")


def pytest_collection_modifyitems(config, items):
    from commonground.core.testing import own_installations_on_the_test_database

    wrong = own_installations_on_the_test_database(items)
    if wrong:
        raise pytest.UsageError(f"marked own_installations but using the test database: {wrong}")


@pytest.fixture(autouse=True, scope="session")
def _two_step_sign_in_off():
    """The suites sign facilitators in with a password alone, module-scoped worlds included (their clients
    sign in before any test's own settings apply); accounts/tests/test_twofactor*.py turn it on."""
    with override_settings(TWO_FACTOR_REQUIRED_FOR_FACILITATORS=False):
        yield


@pytest.fixture(autouse=True, scope="session")
def _installations_shared_by_the_workers(tmp_path_factory):
    """The migrated and the demo installation that `core.testing.installation_copy` copies: built once for the
    test run, whichever worker needs one first."""
    from commonground.core.testing import share_installations

    share_installations(tmp_path_factory)


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_use_migrations, django_db_keepdb,
    django_db_createdb, django_db_modify_db_settings, tmp_path_factory,
):  # fmt: skip
    """pytest-django's, but a worker's test database is a copy of the first one migrated in the test run, not
    migrated again from nothing (`core.testing_databases`)."""
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from commonground.core.testing import run_folder
    from commonground.core.testing_databases import set_up_databases

    if not django_db_use_migrations:
        _disable_migrations()
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        tear_down = set_up_databases(
            verbosity=request.config.option.verbose,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            shared=run_folder(tmp_path_factory),
            keepdb=django_db_keepdb and not django_db_createdb,
        )
    yield
    with django_db_blocker.unblock():
        tear_down()


FILE_FOLDERS = count()


@pytest.fixture(scope="session")
def _files_root(tmp_path_factory):
    return tmp_path_factory.mktemp("files")


@pytest.fixture(autouse=True)
def _test_settings(settings, _files_root):
    from commonground.core.counting import forget_estimates
    from commonground.core.word_heads import forget_common_searches

    forget_estimates()  # a count estimated in one test's data is no figure for the next's
    forget_common_searches()  # nor are the words found common in it
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test's own folders for uploads and imports, named but made only when a test writes a file there
    # (tmp_path would make a folder and a symbolic link for each of the 5,000 tests).
    files = _files_root / str(next(FILE_FOLDERS))
    settings.IMPORT_UPLOAD_DIR = files / "imports"
    settings.MEDIA_ROOT = files / "media"
    settings.SITE_URL = "http://testserver"
    # Every kept read's SQL compiled again and compared: a key that leaves out an input fails the test (core.kept).
    settings.KEPT_SQL_CHECK = True
    # Every test client builds its own middleware; without this WhiteNoise would index the 2,600
    # vendored static files for each one (a third of a second a client). It looks files up instead.
    settings.WHITENOISE_AUTOREFRESH = True
    # A request in Spanish leaves Spanish active in the thread (Django resets it at the next request, not after
    # this one): each test starts in English, whatever ran before it in this process.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@dataclass
class Table:
    """One community with a public and a private organization, and a user for each role."""

    community: object
    public_org: object
    private_org: object
    other_community: object
    outside_org: object
    facilitator: object
    cochair: object
    admin: object  # organization admin of the private organization
    other_admin: object  # organization admin of the public organization
    member: object  # member of the private organization
    outsider: object  # member of an organization in another community only

    def user(self, role: str):
        return getattr(self, role)


def _person_user(organization, role="member"):
    user = UserFactory()
    PersonFactory(organization=organization, user=user, role=role)
    return user


def build_table() -> Table:
    """Build the table: the fixture below for one test, the permission matrix once for its module."""
    community = CommunityFactory(slug="riverbend", name="Riverbend")
    other_community = CommunityFactory(slug="elsewhere", name="Elsewhere")
    public_org = OrganizationFactory(name="Riverbend Fire", sector="public", category="fire", level="local")
    private_org = OrganizationFactory(
        name="Great Lakes Logistics", sector="private", category="large_employer", employees=2000
    )
    outside_org = OrganizationFactory(
        name="Elsewhere Bakery", sector="private", category="small_employer", employees=5
    )
    MembershipFactory(community=community, organization=public_org)
    MembershipFactory(community=community, organization=private_org)
    MembershipFactory(community=other_community, organization=outside_org)
    cochair = _person_user(public_org, role="admin")
    CoChairFactory(community=community, person=cochair.person)
    return Table(
        community=community,
        public_org=public_org,
        private_org=private_org,
        other_community=other_community,
        outside_org=outside_org,
        facilitator=UserFactory(is_facilitator=True),
        cochair=cochair,
        admin=_person_user(private_org, role="admin"),
        other_admin=_person_user(public_org, role="admin"),
        member=_person_user(private_org),
        outsider=_person_user(outside_org),
    )


@pytest.fixture
def table(db) -> Table:
    return build_table()


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def mail_at_once(settings, monkeypatch):
    """Send the queued mails (core.mail) at once, as the worker would once the write commits: the tests run in a
    transaction that never commits. `core/tests/test_mail.py` checks the queue and the worker themselves."""
    settings.TASKS = IMMEDIATE_TASKS
    monkeypatch.setattr("commonground.core.mail.transaction.on_commit", lambda callback, **kwargs: callback())


@pytest.fixture
def touch_at_once(request, monkeypatch):
    """Draw the progress tokens a write asks for at once, not when the test's transaction commits (it never
    does): for tests of which writes keep the kept snapshots and readers' views fresh
    (`communities.snapshots`). A test that asks for `django_capture_on_commit_callbacks` sees when they are
    drawn instead."""
    if "django_capture_on_commit_callbacks" in request.fixturenames:
        return
    from commonground.communities import snapshots

    monkeypatch.setattr(snapshots, "after_commit", lambda action: action())


@pytest.fixture
def fresh_kept():
    """Nothing kept from another test's data: compiled list SQL and kept rows, forgotten before and after."""
    from commonground.core.counting import forget_compiled
    from commonground.core.kept_rows import forget_kept_rows

    forget_compiled()
    forget_kept_rows()
    yield
    forget_compiled()
    forget_kept_rows()
