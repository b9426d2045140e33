"""The revocation check at program scale (issue 19): 100,000 revoked credentials under one key.

Usage: python -m bench.credentials REVOKED [--checks N]
Two checks, each beside a baseline from the same run:
- online (`verification.verify`'s query): is this key's revocation id revoked? beside a primary-key lookup
  of one credential, on the same table;
- offline (what the checkpoint page does with the lists it downloaded): the revocation ids of the bundle
  (`selectors.checkpoint_bundle`) made into a set once, then one lookup a scan; beside a lookup in a set of
  ten ids. The time to build the bundle is printed for information.
Prints one JSON line.
"""

from __future__ import annotations

import datetime
import json
import random
import statistics
import sys
import time

from .common import setup_django


def per_call_ms(call, arguments) -> float:
    times = []
    for argument in arguments:
        start = time.perf_counter()
        call(argument)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str]) -> None:
    revoked = int(argv[0])
    checks = int(argv[argv.index("--checks") + 1]) if "--checks" in argv else 2000
    setup_django()
    from django.utils import timezone

    from commonground.communities.models import Community, Membership
    from commonground.credentials import selectors, services
    from commonground.credentials.choices import CredentialStatus
    from commonground.credentials.models import Credential, Nomination, SigningKey
    from commonground.registry.models import Organization

    community = Community.objects.create(
        slug="bench", name="Bench", center_latitude=41.5, center_longitude=-87.5
    )
    fire = Organization.objects.create(name="Fire", sector="public", category="fire", level="local")
    firm = Organization.objects.create(name="Firm", sector="private", category="large_employer")
    for organization in (fire, firm):
        Membership.objects.create(community=community, organization=organization)
    services.program_save(
        actor=None, community=community,
        data={"safety_organization": fire, "kinds": ["standard"], "orientation": "Read."},
    )  # fmt: skip
    key = SigningKey.objects.get(community=community)
    nomination = Nomination.objects.create(
        community=community, organization=firm, kind="standard", reason="shutdown"
    )
    now = timezone.now()
    Credential.objects.bulk_create(
        (
            Credential(
                community=community,
                nomination=nomination,
                organization=firm,
                public_id=f"B{rid}",
                key=key,
                rid=rid,
                kind="standard",
                holder_name="H",
                organization_name="Firm",
                facility_name="F",
                valid_from=now,
                # Revoked before their expiry: the bundle lists only these (an expired card refuses itself).
                valid_until=now + datetime.timedelta(days=730),
                code="",
                status=CredentialStatus.REVOKED,
            )  # fmt: skip
            for rid in range(1, revoked + 1)
        ),
        batch_size=5000,
    )
    SigningKey.objects.filter(pk=key.pk).update(next_rid=revoked + 1, revocation_counter=revoked)
    rng = random.Random(7)
    rids = [rng.randint(1, 2 * revoked) for _ in range(checks)]  # half revoked, half not
    pks = list(Credential.objects.order_by("?").values_list("pk", flat=True)[:checks])

    def online(rid):
        # As verification asks it: is an active credential holding the id? (Refused unless one is.)
        return not Credential.objects.filter(key=key, rid=rid, status=CredentialStatus.ACTIVE).exists()

    def by_pk(pk):
        return Credential.objects.filter(pk=pk).exists()

    for rid in rids[:50]:  # warm the statement cache and the pages
        online(rid), by_pk(rid)
    online_ms = per_call_ms(online, rids)
    pk_ms = per_call_ms(by_pk, pks)

    start = time.perf_counter()
    bundle = selectors.checkpoint_bundle(community)
    bundle_seconds = time.perf_counter() - start
    start = time.perf_counter()
    index = {entry["kid"]: frozenset(entry["rids"]) for entry in bundle["revocations"]}
    index_ms = (time.perf_counter() - start) * 1000
    small = {key.kid: frozenset(range(10))}
    assert len(index[key.kid]) == revoked

    def repeat(lookup, count=1000):
        def run(rid):
            for _ in range(count):
                lookup(rid)

        return run

    offline_ms = per_call_ms(repeat(lambda rid: rid in index[key.kid]), rids[:200]) / 1000
    small_ms = per_call_ms(repeat(lambda rid: rid in small[key.kid]), rids[:200]) / 1000
    print(
        json.dumps(
            {
                "revoked": revoked,
                "online_ms": online_ms,
                "pk_ms": pk_ms,
                "offline_ms": offline_ms,
                "small_ms": small_ms,
                "index_ms": index_ms,
                "bundle_seconds": bundle_seconds,
            }  # fmt: skip
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
