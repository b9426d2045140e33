"""The permission matrix's rows for newsletters: a draft (the co-chairs'), a sent public edition (the table's
and everyone's), a saved segment; the pages, the public edition and its feed, the unsubscribe link, the API."""

from django.utils import timezone

from commonground.core.testing import API_LIST, PAGE_DECIDERS, PAGE_LEADERS, PAGE_READ, expect
from commonground.core.visibility import ANONYMOUS
from commonground.newsletters import services
from commonground.newsletters.audience import audience_users
from commonground.newsletters.choices import AudienceKind, NewsletterStatus
from commonground.newsletters.models import Delivery, Newsletter
from commonground.newsletters.tokens import unsubscribe_token


def build(world) -> None:
    community = world.table.community
    draft = services.newsletter_create(actor=None, community=community, subject="Matrix draft")
    section = services.section_create(actor=None, newsletter=draft, heading="Matrix words", body="Hello")
    sent = services.newsletter_create(actor=None, community=community, subject="Matrix sent")
    Newsletter.objects.filter(pk=sent.pk).update(
        status=NewsletterStatus.SENT, public=True, sent_at=timezone.now()
    )
    segment = services.segment_create(actor=None, community=community, name="Matrix segment", kind="cochairs")
    # Sent to the co-chairs alone, not published: read by its recipients, the co-chairs and facilitators.
    narrow = services.newsletter_create(actor=None, community=community, subject="Matrix narrow")
    Newsletter.objects.filter(pk=narrow.pk).update(
        status=NewsletterStatus.SENT, audience_kind=AudienceKind.COCHAIRS, sent_at=timezone.now()
    )
    Delivery.objects.bulk_create(
        Delivery(newsletter=narrow, user=user, email=user.email)
        for user in audience_users(community, AudienceKind.COCHAIRS, viewer=ANONYMOUS)
    )
    world.add(
        newsletter_draft=draft, newsletter_section=section, newsletter_sent=sent, newsletter_segment=segment,
        newsletter_narrow=narrow,
    )  # fmt: skip


# The draft is the co-chairs' own: in the API anyone else at the table is told it is not there.
API_COMPOSE = expect(404, visitor=401, cochair=200, facilitator=200)
API_CREATE = expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)
API_REMOVE = expect(404, visitor=401, cochair=204, facilitator=204)
# A composing page refuses anyone but the co-chairs before it looks the draft up (no oracle of its number).
PAGE_COMPOSE = PAGE_LEADERS
POST_COMPOSE = PAGE_DECIDERS
PUBLIC = expect(200)
# A newsletter sent to the co-chairs: anyone else is told it is not there.
API_RECIPIENTS = API_COMPOSE
PAGE_RECIPIENTS = expect(404, visitor=302, cochair=200, facilitator=200)


def _put(w):
    return (f"/api/v1/newsletters/{w.newsletter_draft.pk}/",
            {"community": "riverbend", "subject": "Matrix draft again", "intro": "Hello", "audience_kind": "all"})  # fmt: skip


# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/newsletters/"): (lambda w: ("/api/v1/newsletters/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/newsletters/"): (lambda w: ("/api/v1/newsletters/", {"community": "riverbend", "subject": "Matrix new"}), API_CREATE),
    ("GET", "/api/v1/newsletters/archive/"): (lambda w: ("/api/v1/newsletters/archive/", None), API_LIST),
    ("GET", "/api/v1/newsletters/{id}/"): (lambda w: (f"/api/v1/newsletters/{w.newsletter_narrow.pk}/", None), API_RECIPIENTS),
    ("PUT", "/api/v1/newsletters/{id}/"): (_put, API_COMPOSE),
    ("PATCH", "/api/v1/newsletters/{id}/"): (lambda w: (f"/api/v1/newsletters/{w.newsletter_draft.pk}/", {"intro": "Changed"}), API_COMPOSE),
    ("DELETE", "/api/v1/newsletters/{id}/"): (lambda w: (f"/api/v1/newsletters/{w.newsletter_draft.pk}/", None), API_REMOVE),
    ("GET", "/api/v1/newsletters/{id}/audience/"): (lambda w: (f"/api/v1/newsletters/{w.newsletter_draft.pk}/audience/", None), API_COMPOSE),
    ("GET", "/api/v1/newsletters/{id}/preview/"): (lambda w: (f"/api/v1/newsletters/{w.newsletter_draft.pk}/preview/", None), API_COMPOSE),
    ("POST", "/api/v1/newsletters/{id}/send/"): (lambda w: (f"/api/v1/newsletters/{w.newsletter_draft.pk}/send/", None), API_COMPOSE),
}  # fmt: skip

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "newsletters:list": (lambda w: "/c/riverbend/newsletters/", "GET", PAGE_READ),
    "newsletters:create": (lambda w: "/c/riverbend/newsletters/new/", "POST", PAGE_DECIDERS),
    "newsletters:segments": (lambda w: "/c/riverbend/newsletters/segments/", "GET", PAGE_LEADERS),
    "newsletters:segment_delete": (lambda w: f"/c/riverbend/newsletters/segments/{w.newsletter_segment.pk}/delete/", "POST", PAGE_DECIDERS),
    "newsletters:detail": (lambda w: f"/c/riverbend/newsletters/{w.newsletter_narrow.pk}/", "GET", PAGE_RECIPIENTS),
    "newsletters:edit": (lambda w: f"/c/riverbend/newsletters/{w.newsletter_draft.pk}/edit/", "GET", PAGE_COMPOSE),
    "newsletters:delete": (lambda w: f"/c/riverbend/newsletters/{w.newsletter_draft.pk}/delete/", "POST", POST_COMPOSE),
    "newsletters:section_create": (lambda w: f"/c/riverbend/newsletters/{w.newsletter_draft.pk}/sections/new/", "GET", PAGE_COMPOSE),
    "newsletters:section_edit": (lambda w: f"/c/riverbend/newsletters/{w.newsletter_draft.pk}/sections/{w.newsletter_section.pk}/", "GET", PAGE_COMPOSE),
    "newsletters:section_delete": (lambda w: f"/c/riverbend/newsletters/{w.newsletter_draft.pk}/sections/{w.newsletter_section.pk}/delete/", "POST", POST_COMPOSE),
    "newsletters:audience": (lambda w: f"/c/riverbend/newsletters/{w.newsletter_draft.pk}/audience/", "GET", PAGE_COMPOSE),
    "newsletters:preview": (lambda w: f"/c/riverbend/newsletters/{w.newsletter_draft.pk}/preview/", "GET", PAGE_COMPOSE),
    "newsletters:send": (lambda w: f"/c/riverbend/newsletters/{w.newsletter_draft.pk}/send/", "POST", POST_COMPOSE),
    "newsletters:public": (lambda w: "/p/riverbend/newsletters/", "GET", PUBLIC),
    "newsletters:feed": (lambda w: "/p/riverbend/newsletters/feed/", "GET", PUBLIC),
    "newsletters:public_detail": (lambda w: f"/p/riverbend/newsletters/{w.newsletter_sent.pk}/", "GET", PUBLIC),
    "newsletters:unsubscribe": (lambda w: f"/newsletters/unsubscribe/{unsubscribe_token(w.table.member)}/", "GET", PUBLIC),
}  # fmt: skip
