"""The demo's newsletters: last month's, sent to the whole table and published, and this month's draft."""

from __future__ import annotations

import datetime

from django.test.utils import override_settings
from django.utils import timezone

from commonground.communities.models import Community
from commonground.core.tlp import TLP
from commonground.newsletters import services as newsletter_services
from commonground.newsletters.models import Newsletter
from commonground.newsletters.tasks import newsletter_dispatch


def load_newsletters(community: Community, users: dict) -> None:
    cochair = users["cochair.public"]
    sent = newsletter_services.newsletter_create(
        actor=cochair, community=community, subject="Winter readiness",
        intro="The storm season is here. Thank you to everyone who joined the **tabletop exercise**; the "
        "improvement plan is on the goals page.",
        intro_tlp=TLP.CLEAR, public=True,
    )  # fmt: skip
    newsletter_services.section_create(
        actor=cochair, newsletter=sent, heading="Open house", tlp=TLP.CLEAR,
        body="The emergency operations centre opens its doors to the public on the first Saturday of the month.",
    )  # fmt: skip
    newsletter_services.newsletter_send(actor=cochair, newsletter=sent)
    # The worker's work, done here at once: the demo's outbox holds the mails, each reader's own edition.
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        newsletter_dispatch.call(sent.pk)
    Newsletter.objects.filter(pk=sent.pk).update(sent_at=timezone.now() - datetime.timedelta(days=30))
    newsletter_services.newsletter_create(actor=cochair, community=community, subject="Spring news")
