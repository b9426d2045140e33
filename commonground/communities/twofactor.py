"""A community's rule for two-step sign-in: its co-chairs and its organizations' admins must use it."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .models import Community


def leaders_sign_in_in_two_steps(user) -> bool:
    """Return whether a community that asks its leaders for two-step sign-in has this user among them.

    The viewer is built afresh (not the one cached on the user), so a role given since is counted.
    """
    if not Community.objects.filter(two_factor_required_for_leaders=True).exists():
        return False
    viewer = import_string(settings.VIEWER_FACTORY)(user)
    led = set(viewer.cochair_community_ids)
    if viewer.is_organization_admin:
        led |= set(viewer.community_ids)
    return bool(led) and Community.objects.filter(pk__in=led, two_factor_required_for_leaders=True).exists()
