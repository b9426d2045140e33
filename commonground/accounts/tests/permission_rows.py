"""The permission matrix's rows for signing in and out, passwords, the token endpoint and the profile.

Everything on the profile is the signed-in user's own: the world's session and token are the member's, so
every other role's attempt to end or revoke them answers 404 (and the matrix checks nothing changed).
"""

from commonground.core.testing import expect

# Anyone may ask for a reset link and follow one; changing a password needs a login.
PUBLIC = expect(200)
SIGNED_IN = expect(200, visitor=302)
MEMBERS_OWN = expect(404, visitor=302, member=302)

# (method, path template): (path and payload for a world, expected status by role), the token's sent by hand
API = {
    ("POST", "/api/v1/auth/token/"): (None, expect(200, visitor=400)),
}

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "login": (lambda w: "/accounts/login/", "GET", expect(200)),
    "logout": (lambda w: "/accounts/logout/", "POST", expect(302)),
    "set_language": (lambda w: "/accounts/language/", "POST", expect(302)),
    "password_change": (lambda w: "/accounts/password/", "GET", SIGNED_IN),
    "password_change_done": (lambda w: "/accounts/password/changed/", "GET", SIGNED_IN),
    "password_reset": (lambda w: "/accounts/password/reset/", "GET", PUBLIC),
    "password_reset_done": (lambda w: "/accounts/password/reset/sent/", "GET", PUBLIC),
    "password_reset_confirm": (lambda w: "/accounts/password/reset/MQ/not-a-token/", "GET", PUBLIC),
    "password_reset_complete": (lambda w: "/accounts/password/reset/done/", "GET", PUBLIC),
    "profile": (lambda w: "/accounts/profile/", "GET", SIGNED_IN),
    "email_change": (lambda w: "/accounts/profile/email/", "GET", SIGNED_IN),
    "email_change_confirm": (lambda w: "/accounts/profile/email/not-a-link/", "GET", SIGNED_IN),
    "session_end": (lambda w: (f"/accounts/sessions/{w.account_session.pk}/end/", {}), "POST", MEMBERS_OWN),
    "sessions_end_others": (lambda w: "/accounts/sessions/end-others/", "POST", expect(302)),
    "token_create": (lambda w: "/accounts/tokens/new/", "GET", SIGNED_IN),
    "token_revoke": (lambda w: (f"/accounts/tokens/{w.account_token.pk}/revoke/", {}), "POST", MEMBERS_OWN),
    # A facilitator's action over any login; everyone else is refused before any login is looked up.
    "user_deactivate": (lambda w: (f"/accounts/users/{w.leaving_login.pk}/deactivate/", {}), "POST", expect(403, visitor=302, facilitator=302)),
}  # fmt: skip


def build(world) -> None:
    from commonground.accounts.models import SignedInSession
    from commonground.accounts.services import token_create
    from commonground.registry.tests.factories import PersonFactory, UserFactory

    member = world.table.member
    session = SignedInSession.objects.create(user=member, session_key="matrix-member-session", user_agent="x")
    token, _key = token_create(actor=None, user=member, name="matrix")
    leaving = UserFactory()
    PersonFactory(organization=world.table.private_org, user=leaving)
    world.add(account_session=session, account_token=token, leaving_login=leaving)


# The two-step sign-in pages (accounts/twofactor) keep their rows beside their tests.
from .twofactor_rows import PAGES as TWOFACTOR_PAGES  # noqa: E402

PAGES.update(TWOFACTOR_PAGES)
