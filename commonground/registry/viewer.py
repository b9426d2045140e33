"""Who a logged-in user is at the tables: settings.VIEWER_FACTORY names `viewer_for_user`, and
settings.VIEWERS_FACTORY `viewers_for_users`, the same for many logins in one query (a mail to a batch).

It reads people (this app) with the memberships and co-chairs of the communities below it, so it lives
here and not in `communities`, which knows no person.
"""

from __future__ import annotations

from functools import cache

from django.db import connection

from commonground.communities.models import CoChair, Community, Membership
from commonground.communities.selectors import organizations_at
from commonground.core.visibility import Viewer

from .choices import PersonRole
from .models import Person


def viewer_for_user(user) -> Viewer:
    """Return the viewer for a logged-in user: their person, organization, communities and roles.

    Every request of a logged-in user asks this, so it is one hand-written query (`_viewers_sql`): the person,
    the tables their organization sits at and the tables they co-chair.
    """
    return viewers_for_users([user])[user.pk]


# Under the smallest limit on a query's parameters that the databases set (999 on an old SQLite): a batch of
# mail (NEWSLETTER_BATCH_SIZE, 200) is one query.
CHUNK = 500


def viewers_for_users(users) -> dict[int, Viewer]:
    """Return {user id: viewer} for many logged-in users, each the viewer `viewer_for_user` gives, in one
    query for every CHUNK users (the mail of a batch asks for its readers' viewers at once, not one by one)."""
    users = {user.pk: user for user in users}
    rows_of: dict[int, list] = {pk: [] for pk in users}
    ids = list(users)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            cursor.execute(_viewers_sql(len(chunk)), chunk)
            for user_id, *row in cursor.fetchall():
                rows_of[user_id].append(row)
    return {pk: _viewer(user, rows_of[pk]) for pk, user in users.items()}


def _viewer(user, rows) -> Viewer:
    """Build the viewer from the rows of one user: (person, organization, role, community, is co-chair, the
    community's slug)."""
    person_id, organization_id, role = rows[0][:3] if rows else (None, None, None)
    community_ids = {row[3] for row in rows if row[3] is not None and not row[4]}
    cochair_ids = {row[3] for row in rows if row[4]}
    slugs = {(row[5], row[3]) for row in rows if row[3] is not None and not row[4]}
    return Viewer(
        user_id=user.pk,
        is_facilitator=bool(getattr(user, "is_facilitator", False)),
        person_id=person_id,
        organization_id=organization_id,
        is_organization_admin=role == PersonRole.ADMIN,
        community_ids=frozenset(community_ids),
        cochair_community_ids=frozenset(cochair_ids),
        organizations_at=organizations_at,
        community_slugs=frozenset(slugs),
    )


@cache
def _viewers_sql(count: int) -> str:
    """The query of the viewers of `count` users, one row per table of each: (user id, person, organization,
    role, community, is co-chair, the community's slug where it is a seat)."""
    placeholders = ", ".join(["%s"] * count)
    return f"WITH {_people_sql(placeholders)} {_tables_sql('p.user_id, ')}"


def _people_sql(users: str) -> str:
    """The people of the users `users` names (placeholders, or a query of user ids), as `p`."""
    person = connection.ops.quote_name(Person._meta.db_table)
    return f"p AS (SELECT id, user_id, organization_id, role FROM {person} WHERE user_id IN ({users}))"


def _tables_sql(leading: str = "") -> str:
    """A row per table of each person of `p`: (person, organization, role, community, is co-chair, the
    community's slug where it is a seat), after the `leading` columns."""
    membership, cochair, community = (
        connection.ops.quote_name(m._meta.db_table) for m in (Membership, CoChair, Community)
    )
    return (
        f"SELECT {leading}p.id, p.organization_id, p.role, m.community_id, 0, t.slug FROM p"
        f" LEFT JOIN {membership} m ON m.organization_id = p.organization_id"
        f" LEFT JOIN {community} t ON t.id = m.community_id"
        f" UNION ALL SELECT {leading}p.id, p.organization_id, p.role, c.community_id, 1, NULL FROM p"
        f" JOIN {cochair} c ON c.person_id = p.id"
    )


def token_and_viewer(key: str):
    """settings.API_TOKEN_READER: the token in force that a key names, with its user (`accounts.selectors
    .token_for_key`'s query), and the user's viewer, read by the same statement and kept on the user as
    `core.viewer.viewer_for` keeps it. An API call asked the database for its token, then for its reader: a round
    trip each (about half a millisecond of a resource list's eight on PostgreSQL, bench.list_apis)."""
    from django.utils import timezone

    from commonground.accounts.models import ApiToken
    from commonground.accounts.selectors import token_for_key
    from commonground.accounts.services.tokens import key_hash
    from commonground.core.kept_rows import instances_beside
    from commonground.core.viewer import CACHE_ATTRIBUTE

    read = instances_beside(
        _kept_token_query,
        _token_and_viewer_sql,
        key=("token and viewer",),
        using=ApiToken.objects.db,
        hashed=key_hash(key),
        now=timezone.now(),
    )
    if read is None:
        return token_for_key(key)
    tokens, tables = read
    if not tokens:
        return None
    token = tokens[0]
    user = token.user
    # A user with no person has one row, its viewer's columns empty (the left join): no table at all.
    setattr(user, CACHE_ATTRIBUTE, _viewer(user, [row for row in tables if row[0] is not None]))
    return token


def _kept_token_query():
    """The token's query (`accounts.selectors.token_query`) with the key's hash and the present as slots: its SQL
    is kept, the same for every key at any time (building and compiling it cost an API call a millisecond)."""
    from django.db.models import CharField, DateTimeField

    from commonground.accounts.selectors import token_query
    from commonground.core.kept_rows import Slot

    return token_query(
        hashed=Slot("hashed").expression(CharField()), now=Slot("now").expression(DateTimeField())
    )


def _token_and_viewer_sql(token_sql: str) -> str:
    """The token's query (`q`, at most one row) beside its user's rows of `_tables_sql`."""
    return (
        f"WITH q AS ({token_sql}), {_people_sql('SELECT user_id FROM q')}, v AS ({_tables_sql()})"
        " SELECT q.*, v.* FROM q LEFT JOIN v ON 1 = 1"
    )
