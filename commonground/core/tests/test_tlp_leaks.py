"""No reader finds a marker of a record the TLP does not let them see: not on a page, in the API, an export,
the audit log, an aggregate or an e-mail.

Every marked model is planted at every marking it allows, with a unique marker in every free-text field
(created with one, changed to another, so the audit log holds both). The oracle is the model's own
`tlp_q(viewer)`; every surface must agree with it. Surfaces are read from the URL resolver, so a new
page or endpoint is crawled without a new test. The world is built once for the module.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commonground.core.exchange import EXPORTS
from commonground.core.testing import ROLES
from commonground.newsletters.models import Section
from commonground.registry.models import Person

from .leak_records import SEEN_WITH_PARENT, markable_fields, sees_apart
from .leak_surfaces import fetch, paths, readable, surfaces, unfilled
from .leak_world import PLANTERS, marked_models

# Each test also runs in its own savepoint, so what a request writes is undone before the next.
pytestmark = pytest.mark.django_db


def leak_report(leaks: list[str]) -> str:
    return f"{len(leaks)} marker(s) shown to a reader the TLP hides them from:\n" + "\n".join(leaks[:60])


def crawl(surface, world, clients) -> list[str]:
    leaks = []
    for role in ROLES:
        viewer = world.viewer(role)
        for path in paths(surface, world, role):
            for page, status, body in fetch(clients[role], path):
                assert status < 500, (role, page, status)
                leaks += [f"{role} GET {page}: {line}" for line in world.leaks(viewer, body)]
    return leaks


def _case(surface):
    return pytest.param(surface, id=surface.name)


ALL_SURFACES = surfaces()


def test_every_marked_model_is_planted_and_every_path_parameter_filled():
    models = marked_models()
    assert models, "no model carries a TLPOptions marking"
    assert set(models) == set(PLANTERS), "a marked model without a planter (add one to leak_world.PLANTERS)"
    for model in models:
        assert markable_fields(model), f"{model.__name__} has no field to plant a marker in"
        assert not sees_apart(model) or model is Person or model in SEEN_WITH_PARENT, (
            f"say which fields of {model.__name__} its marking covers"
        )
    missing = {f"{s.template}: {name}" for s in ALL_SURFACES for name in unfilled(s)}
    assert not missing, "path parameters that name no planted record (add to leak_surfaces.SEGMENT_IDS)"


def test_a_former_member_may_see_no_restricted_record_and_was_named_on_red_ones(leak_world):
    """The oracle the crawl asks: a login whose person was removed sees nothing but TLP:CLEAR."""
    viewer = leak_world.viewer("former_member")
    assert viewer.is_authenticated and viewer.person_id is None and not viewer.community_ids
    seen = [f"{p.model.__name__} {p.record.pk} ({p.marking})" for p in leak_world.planted
            if p.marking != "TLP:CLEAR" and leak_world.may_see(viewer, p)]  # fmt: skip
    assert not seen, seen
    # Named on both owners' TLP:RED resources: each owner's admins are told once.
    told = [m for m in leak_world.mails if "TLP:RED resources" in m.subject]
    admins = [set(Person.objects.filter(organization=owner, role="admin", user__is_active=True)
                  .values_list("email", flat=True)) for owner in leak_world.owners]  # fmt: skip
    assert sorted(sorted(m.to) for m in told) == sorted(sorted(found) for found in admins)


@pytest.mark.parametrize("surface", [_case(s) for s in ALL_SURFACES])
def test_no_surface_shows_a_reader_a_marker_it_may_not_see(leak_world, leak_clients, surface):
    leaks = crawl(surface, leak_world, leak_clients)
    assert not leaks, leak_report(leaks)


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_no_command_line_export_shows_a_marker_the_user_may_not_see(leak_world, kind):
    world = leak_world
    leaks = []
    with tempfile.TemporaryDirectory() as folder:
        for role in ROLES[1:]:
            for community in world.communities:
                for fmt in ("csv", "xlsx"):
                    output = Path(folder) / f"{role}-{community.slug}.{fmt}"
                    command = ("export", kind, "--community", community.slug, "--format", fmt,
                               "--output", str(output), "--as", world.user(role).username)  # fmt: skip
                    if not world.viewer(role).is_member_of(community.pk):
                        # Item 5 of issue 12: another community's export is refused, and nothing is written.
                        with pytest.raises(CommandError):
                            call_command(*command, stderr=io.StringIO())
                        assert not output.exists()
                        continue
                    call_command(*command, stderr=io.StringIO())
                    body = readable(output.read_bytes())
                    leaks += [f"{role} export {kind} {community.slug}.{fmt}: {line}"
                              for line in world.leaks(world.viewer(role), body)]  # fmt: skip
    assert not leaks, leak_report(leaks)


def test_no_mail_shows_its_recipient_a_marker_they_may_not_see(leak_world):
    world = leak_world
    from commonground.core.viewer import viewer_for

    assert world.mails, "planting sent no mail: the reminders and the issue notices are not exercised"
    leaks = []
    for message in world.mails:
        body = f"{message.subject}\n{message.body}".encode()
        for address in message.to:
            person = Person.objects.filter(email__iexact=address).exclude(user=None).first()
            assert person is not None, f"mail to {address}, who has no login: whose rule applies?"
            leaks += [f"mail to {address} {message.subject!r}: {line}"
                      for line in world.leaks(viewer_for(person.user), body)]  # fmt: skip
    assert not leaks, leak_report(leaks)


def test_the_crawl_shows_every_record_to_a_reader_allowed_to_see_it(leak_world):
    """A crawl that reaches no record finds no leak: each planted record was shown to someone allowed."""
    world = leak_world
    if not world.seen:
        pytest.skip("runs after the crawl, in the same session")
    unseen = [f"{p.model.__name__} {p.record.pk} ({p.marking})" for p in world.planted
              if not set(p.tokens) & world.seen and any(world.may_see(world.viewer(r), p) for r in ROLES)]  # fmt: skip
    assert not unseen, f"records no surface showed even to their audience: {unseen}"


PROGRAM = ["/program/", "/api/v1/program/statistics/", "/api/v1/program/communities/?sort=-organizations"]


def test_the_program_statistics_show_a_visitor_no_marker_and_no_figure_of_one_or_two_organizations(
    leak_world, leak_clients
):
    """The public statistics (page and API; the program has no export): no restricted marker of the world's
    communities and organizations reaches a visitor, and a figure resting on two organizations is suppressed."""
    from commonground.communities.tests.factories import CommunityFactory, MembershipFactory
    from commonground.program import stamp
    from commonground.registry.tests.factories import OrganizationFactory

    wyoming = CommunityFactory(state="WY", name="Leak Basin")
    for _i in range(2):
        MembershipFactory(community=wyoming, organization=OrganizationFactory(sector="nonprofit"))
    stamp.touch()  # as the seats' audited writes would, once committed: the program's kept rows are read again
    visitor, leaks = leak_world.viewer("visitor"), []
    for path in PROGRAM:
        for page, status, body in fetch(leak_clients["visitor"], path):
            assert status == 200, page
            leaks += [f"visitor GET {page}: {line}" for line in leak_world.leaks(visitor, body)]
    assert not leaks, leak_report(leaks)
    states = {row["state"]: row for row in leak_clients["visitor"].get(PROGRAM[1]).json()["states"]}
    assert states["WY"] == {
        "state": "WY",
        "communities": 1,
        "organizations": {"value": None, "suppressed": True},
    }
    facilitator = {row["state"]: row for row in leak_clients["facilitator"].get(PROGRAM[1]).json()["states"]}
    assert facilitator["WY"]["organizations"] == {"value": 2.0, "suppressed": False}
    # No figure of the world resting on one or two organizations is worked out of the tables published beside
    # it, months subtracted (differencing); a figure resting on none or on three or more may be.
    from commonground.program.tests.test_differencing import leaks, published

    assert leaks(*published(leak_clients["visitor"])) == set()


def test_a_narrow_newsletter_shows_its_words_to_its_audience_and_to_no_one_else(leak_world, leak_clients):
    """A newsletter sent to the co-chairs alone, and one to the organizations tied to an issue (published, its
    TLP:GREEN words for its audience only): each reader of its audience finds every marker of it on its page,
    in the API and in their mail; every other reader finds none on any of the newsletters' surfaces, and no
    mail to them holds one. (The crawl above searches every other surface.)"""
    from commonground.newsletters.models import Newsletter

    world = leak_world
    narrow = [p for p in world.planted if isinstance(p.record, Newsletter) and p.readers is not None]
    assert len(narrow) == 2
    for planted in narrow:
        newsletter = planted.record
        sections = [p for p in world.planted if isinstance(p.record, Section) and p.record.newsletter_id == newsletter.pk]  # fmt: skip
        tokens = {token for p in [planted, *sections] for token in p.tokens}
        assert len(sections) == 1 and len(tokens) >= 3
        slug = newsletter.community.slug
        own = [f"/c/{slug}/newsletters/{newsletter.pk}/", f"/api/v1/newsletters/{newsletter.pk}/"]
        lists = [f"/c/{slug}/newsletters/", f"/api/v1/newsletters/?community={slug}", f"/p/{slug}/newsletters/",
                 f"/p/{slug}/newsletters/feed/", f"/p/{slug}/newsletters/{newsletter.pk}/"]  # fmt: skip
        for role in ROLES:
            user = world.user(role)
            shown = {}
            for path in own + lists:
                for page, status, body in fetch(leak_clients[role], path):
                    assert status < 500, (role, page, status)
                    shown[page] = {t for t in tokens if t.encode() in body.lower()}
            if user is not None and user.pk in planted.readers:
                for path in own:
                    assert shown[path] == tokens, (role, path, sorted(tokens - shown[path]))
            else:
                found = {page: sorted(found) for page, found in shown.items() if found}
                assert not found, (role, planted.marking, found)
        mailed = {address.lower() for m in world.mails for address in m.to
                  if any(t in f"{m.subject}\n{m.body}" for t in tokens)}  # fmt: skip
        audience = {
            u.email.lower() for u in world.users.values() if u is not None and u.pk in planted.readers
        }
        # Each recipient (a login of the audience with a person: the facilitator has none) got it; no one else.
        sent_to = {d.email.lower() for d in newsletter.deliveries.all()}
        assert sent_to and sent_to <= audience and mailed == sent_to, (planted.marking, mailed, sent_to)
