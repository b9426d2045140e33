"""Reads of the credential program, and what the public endpoints publish (keys, revocations, activations)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from commonground.core.visibility import Viewer

from .choices import CredentialStatus
from .models import (
    Activation,
    Credential,
    CredentialCheck,
    Facility,
    Nomination,
    Program,
    RestrictedArea,
    SigningKey,
)
from .services import area_contains


def published_keys(community) -> list[SigningKey]:
    """The keys whose cards a checkpoint accepts: every key of the community not withdrawn."""
    return list(
        SigningKey.objects.filter(community=community, withdrawn_at__isnull=True).order_by("created_at", "id")
    )


def revoked_rids(keys, now=None) -> dict[int, list[int]]:
    """Return {key id: [revocation ids]}: every id handed out under each key that no active credential holds,
    but those of credentials already expired (their card's signed expiry refuses them anyway).

    Counted from the ids handed out, not from the revoked rows: a credential deleted with its holder or
    organization leaves no row, and its card must stay refused until it expires.
    """
    now = now or timezone.now()
    left_out: dict[int, set[int]] = {key.pk: set() for key in keys}
    rows = Credential.objects.filter(
        Q(status=CredentialStatus.ACTIVE) | Q(valid_until__lte=now), key__in=list(keys)
    ).values_list("key_id", "rid")
    for key_id, rid in rows:
        left_out[key_id].add(rid)
    return {key.pk: [rid for rid in range(1, key.next_rid) if rid not in left_out[key.pk]] for key in keys}


def activations_current_and_upcoming(community, now=None) -> list[Activation]:
    now = now or timezone.now()
    return list(
        Activation.objects.filter(community=community, ends_at__gt=now)
        .select_related("area__incident")
        .order_by("starts_at", "id")
    )


def activation_facility_ids(activation: Activation, facilities) -> list[int]:
    """The enrolled facilities inside the activation's area."""
    return [f.pk for f in facilities if area_contains(activation.area, f.latitude, f.longitude)]


def community_facilities(community) -> list[Facility]:
    return list(
        Facility.objects.filter(community=community).only("pk", "latitude", "longitude").order_by("pk")
    )


def checkpoint_bundle(community, now=None) -> dict:
    """What a checkpoint keeps offline: the keys, the revocation lists, the current and coming activations."""
    now = now or timezone.now()
    keys = published_keys(community)
    revoked = revoked_rids(keys, now)
    facilities = community_facilities(community)
    return {
        "community": community.slug,
        "generated_at": now.isoformat(),
        "keys": [key.public_jwk for key in keys],
        "revocations": [
            {"kid": key.kid, "counter": key.revocation_counter, "rids": revoked[key.pk]} for key in keys
        ],
        "activations": [
            {
                "id": activation.pk,
                "name": activation.name,
                "kinds": list(activation.kinds),
                "starts_at": activation.starts_at.isoformat(),
                "ends_at": activation.ends_at.isoformat(),
                "facilities": activation_facility_ids(activation, facilities),
            }
            for activation in activations_current_and_upcoming(community, now)
        ],
    }


def bundle_version(community, now=None) -> tuple[str, datetime.datetime | None]:
    """Return a fingerprint of everything the checkpoint bundle is built from, and the moment the bundle
    changes by time alone (the next activation to end, the next revoked credential to expire).

    A few aggregates, whatever the number of rows: the keys (their counters move with each revocation, their
    next id with each issue), the credentials counted (a credential deleted with its holder leaves no row, and
    its id joins the revocation list), the activations and the facilities counted with their latest change, and
    each restricted area with its latest change and its incident's (an incident's area moved, or the incident
    deleted, changes which facilities an activation of that area admits).
    """
    now = now or timezone.now()
    active = Q(status=CredentialStatus.ACTIVE)
    keys = SigningKey.objects.filter(community=community).order_by("pk")
    credentials = Credential.objects.filter(community=community).aggregate(
        rows=Count("pk"),
        active=Count("pk", filter=active),
        next_expiry=Min("valid_until", filter=~active & Q(valid_until__gt=now)),
    )
    activations = Activation.objects.filter(community=community).aggregate(
        rows=Count("pk"), changed=Max("updated"), next_end=Min("ends_at", filter=Q(ends_at__gt=now))
    )
    facilities = Facility.objects.filter(community=community).aggregate(
        rows=Count("pk"), changed=Max("updated")
    )
    areas = RestrictedArea.objects.filter(community=community).order_by("pk")
    version = repr(
        (
            community.slug,
            list(areas.values_list("pk", "updated", "incident_id", "incident__updated")),
            list(keys.values_list("pk", "kid", "withdrawn_at", "revocation_counter", "next_rid")),
            credentials["rows"],
            credentials["active"],
            activations["rows"],
            activations["changed"],
            facilities["rows"],
            facilities["changed"],
        )
    )
    moments = [m for m in (credentials["next_expiry"], activations["next_end"]) if m is not None]
    return version, min(moments, default=None)


# -- Lists the pages and the API read ------------------------------------------------------------------------


def nomination_list(*, viewer: Viewer, community=None) -> QuerySet[Nomination]:
    nominations = Nomination.objects.visible_to(viewer).select_related("community", "organization", "person")
    if community is not None:
        nominations = nominations.filter(community=community)
    return nominations.prefetch_related("facilities")


def credential_list(*, viewer: Viewer, community=None) -> QuerySet[Credential]:
    credentials = Credential.objects.visible_to(viewer).select_related("community", "organization", "key")
    if community is not None:
        credentials = credentials.filter(community=community)
    return credentials


def facility_list(*, viewer: Viewer, community=None) -> QuerySet[Facility]:
    facilities = Facility.objects.visible_to(viewer).select_related("community", "organization")
    if community is not None:
        facilities = facilities.filter(community=community)
    return facilities


def area_list(*, viewer: Viewer, community=None) -> QuerySet[RestrictedArea]:
    areas = RestrictedArea.objects.visible_to(viewer).select_related("community", "incident")
    if community is not None:
        areas = areas.filter(community=community)
    return areas


def activation_list(*, viewer: Viewer, community=None) -> QuerySet[Activation]:
    activations = Activation.objects.visible_to(viewer).select_related("community", "area")
    if community is not None:
        activations = activations.filter(community=community)
    return activations


def check_list(*, viewer: Viewer, community=None) -> QuerySet[CredentialCheck]:
    checks = CredentialCheck.objects.visible_to(viewer).select_related("community")
    if community is not None:
        checks = checks.filter(community=community)
    return checks


def program_list(*, viewer: Viewer) -> QuerySet[Program]:
    """The programs of the tables the viewer sits at (facilitators: all)."""
    return (
        Program.objects.visible_to(viewer)
        .select_related("community", "safety_organization")
        .prefetch_related("community__restricted_areas")
    )
