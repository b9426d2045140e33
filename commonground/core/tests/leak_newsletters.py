"""The narrow newsletters of the leak world: sent to part of a table only, their own words holding markers.

A newsletter carries no TLP marking of its own: it is read whole by its audience (the recipients, the
community's co-chairs, the facilitators), and by everyone else only as its public edition, if it has one (its
TLP:CLEAR parts). Two are planted at the first table: one to its co-chairs alone, unpublished, markers in its
subject, introduction and a section; and one to the organizations tied to an issue, published, markers in
its TLP:GREEN introduction and section only (its subject is public). The oracle is the roles of the audience,
named here (`Planted.readers`), not the newsletter's own `visible_to`, so a fault in that rule is caught too.
"""

from __future__ import annotations

from commonground.core.tlp import TLP
from commonground.newsletters import services
from commonground.newsletters.choices import AudienceKind
from commonground.newsletters.models import Delivery

# The roles of the leak world that read each narrow newsletter whole; the facilitators read every newsletter.
AUDIENCES = {
    AudienceKind.COCHAIRS: ("cochair", "facilitator"),
    AudienceKind.ISSUE: ("member", "admin_own", "cochair", "facilitator"),
}
# Of those, the ones it is sent to (each gets it by mail).
RECIPIENTS = {AudienceKind.COCHAIRS: ("cochair",), AudienceKind.ISSUE: ("member", "admin_own")}


def plant_newsletters(community, issue, users, planted_type, new_token, filler: str) -> list:
    """Send the two narrow newsletters through their services (the worker's task run as it commits); return a
    planted record for each newsletter and each of its sections of the co-chairs' own words."""
    planted = []
    for kind, public in ((AudienceKind.COCHAIRS, False), (AudienceKind.ISSUE, True)):
        readers = frozenset(users[role].pk for role in AUDIENCES[kind])
        intro = new_token()
        tokens = {intro: "intro"}
        subject = f"Planted news for {kind}"
        if not public:
            subject = new_token()
            tokens[subject] = "subject"
        newsletter = services.newsletter_create(
            actor=None, community=community, subject=subject, intro=f"{intro} {filler}", intro_tlp=TLP.GREEN,
            audience_kind=kind, audience_issue=issue if kind == AudienceKind.ISSUE else None, public=public,
        )  # fmt: skip
        heading, body = new_token(), new_token()
        section = services.section_create(
            actor=None, newsletter=newsletter, heading=heading, body=f"{body} {filler}", tlp=TLP.GREEN
        )
        services.newsletter_send(actor=None, newsletter=newsletter)
        sent_to = set(Delivery.objects.filter(newsletter=newsletter).values_list("user_id", flat=True))
        assert sent_to == {users[role].pk for role in RECIPIENTS[kind]}, (kind, sent_to)
        label = f"newsletter to {kind}" + (", published" if public else "")
        planted += [
            planted_type(record=newsletter, marking=label, tokens=tokens, readers=readers),
            planted_type(record=section, marking=label, tokens={heading: "heading", body: "body"},
                         readers=readers),
        ]  # fmt: skip
    return planted
