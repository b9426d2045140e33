"""Who a leaving concerns: the people (and their logins) of a person removed, a login deactivated, or an
organization leaving a table (registered with `accounts.leaving` from the app's `ready()`)."""

from __future__ import annotations

from django.db.models import Q

from commonground.accounts.leaving import Leaving, LeavingReason

from .models import Person


def people_leaving(leaving: Leaving) -> tuple[list[int], list[int]]:
    """Return the login ids and the person ids a leaving concerns."""
    found = Q(pk__in=sorted(leaving.person_ids)) | Q(user_id__in=sorted(leaving.user_ids))
    if leaving.reason == LeavingReason.ORGANIZATION_LEFT and leaving.organization_id is not None:
        found |= Q(organization_id=leaving.organization_id)
    rows = list(Person.objects.filter(found).values_list("pk", "user_id"))
    return [user for _pk, user in rows if user is not None], [pk for pk, _user in rows]
