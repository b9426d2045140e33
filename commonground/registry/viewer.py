"""Who a logged-in user is at the tables: settings.VIEWER_FACTORY names `viewer_for_user`.

It reads people (this app) with the memberships and co-chairs of the communities below it, so it lives
here and not in `communities`, which knows no person.
"""

from __future__ import annotations

from functools import cache

from django.db import connection

from commonground.communities.models import CoChair, Membership
from commonground.communities.selectors import organizations_at
from commonground.core.visibility import Viewer

from .choices import PersonRole
from .models import Person


def viewer_for_user(user) -> Viewer:
    """Return the viewer for a logged-in user: their person, organization, communities and roles.

    Every request of a logged-in user asks this, so it is one hand-written query: the person, the
    tables their organization sits at and the tables they co-chair.
    """
    with connection.cursor() as cursor:
        cursor.execute(_viewer_sql(), [user.pk, user.pk])
        rows = cursor.fetchall()
    person_id, organization_id, role = rows[0][:3] if rows else (None, None, None)
    community_ids = {row[3] for row in rows if row[3] is not None and not row[4]}
    cochair_ids = {row[3] for row in rows if row[4]}
    return Viewer(
        user_id=user.pk,
        is_facilitator=bool(getattr(user, "is_facilitator", False)),
        person_id=person_id,
        organization_id=organization_id,
        is_organization_admin=role == PersonRole.ADMIN,
        community_ids=frozenset(community_ids),
        cochair_community_ids=frozenset(cochair_ids),
        organizations_at=organizations_at,
    )


@cache
def _viewer_sql() -> str:
    person, membership, cochair = (
        connection.ops.quote_name(m._meta.db_table) for m in (Person, Membership, CoChair)
    )
    return (
        f"SELECT p.id, p.organization_id, p.role, m.community_id, 0 FROM {person} p"
        f" LEFT JOIN {membership} m ON m.organization_id = p.organization_id WHERE p.user_id = %s"
        f" UNION ALL SELECT p.id, p.organization_id, p.role, c.community_id, 1 FROM {person} p"
        f" JOIN {cochair} c ON c.person_id = p.id WHERE p.user_id = %s"
    )
