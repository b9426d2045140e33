"""A community's newsletter: its sections (each built from records, with their markings), its audience, and a
delivery record for each recipient."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.tlp import TLP
from commonground.registry.choices import Sector

from .choices import SEGMENT_KINDS, AudienceKind, DeliveryStatus, NewsletterStatus, SectionKind

# What the co-chairs write themselves goes to the table (TLP:GREEN) or to everyone (TLP:CLEAR); only sections
# built from records carry the records' narrower markings.
OWN_MARKINGS = [(TLP.CLEAR.value, TLP.CLEAR.label), (TLP.GREEN.value, TLP.GREEN.label)]
SENT = [NewsletterStatus.SENDING, NewsletterStatus.SENT]


class CommunityScopedQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Return the rows of the communities the viewer co-chairs (facilitators: all)."""
        if viewer.is_facilitator:
            return self.all()
        return self.filter(community_id__in=sorted(viewer.cochair_community_ids))


class Segment(TimeStampedModel):
    """A named, saved audience of a community: one of the audience kinds with its sector or issue."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="newsletter_segments",
        verbose_name=_("community"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("audience"), max_length=10, choices=SEGMENT_KINDS, default=AudienceKind.ALL)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices, blank=True)
    issue = models.ForeignKey(
        "agenda.Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("issue"),
    )  # fmt: skip

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved segment")
        verbose_name_plural = _("saved segments")
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="segment_unique_name")]

    def __str__(self) -> str:
        return self.name


class NewsletterQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Co-chairs (and facilitators) see their communities' drafts and editions; a sent edition is read by its
        recipients still at the table (a `Delivery` of theirs), and a public edition by everyone (in its public
        form, `in_full` False: `with_reading`). Each section is still shown only as its records allow."""
        if viewer.is_facilitator:
            return self.all()
        return self.filter(self._in_full(viewer) | models.Q(public=True, status__in=SENT))

    def _in_full(self, viewer) -> models.Q:
        cochair = models.Q(community_id__in=sorted(viewer.cochair_community_ids))
        if viewer.user_id is None:
            return cochair
        recipient = models.Exists(
            Delivery.objects.filter(newsletter=models.OuterRef("pk"), user_id=viewer.user_id)
        )
        return cochair | (
            models.Q(community_id__in=sorted(viewer.community_ids), status__in=SENT) & models.Q(recipient)
        )

    def with_reading(self, viewer):
        """Annotate `in_full`: whether the viewer reads the newsletter as its audience does (co-chairs,
        facilitators, recipients), or only its public edition (its TLP:CLEAR parts)."""
        if viewer.is_facilitator:
            return self.annotate(in_full=models.Value(True))
        return self.annotate(
            in_full=models.Case(
                models.When(self._in_full(viewer), then=models.Value(True)), default=models.Value(False)
            )
        )

    def public(self):
        """The public editions: sent (or going out), published by their co-chairs."""
        return self.exclude(status=NewsletterStatus.DRAFT).filter(public=True)


class Newsletter(TimeStampedModel):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="newsletters",
        verbose_name=_("community"),
    )  # fmt: skip
    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(_("introduction (Markdown)"), blank=True, max_length=20000)
    intro_tlp = models.CharField(
        _("marking of the introduction"), max_length=20, choices=OWN_MARKINGS, default=TLP.GREEN,
        help_text=_("Only a TLP:CLEAR introduction appears in the public edition."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=NewsletterStatus.choices, default=NewsletterStatus.DRAFT
    )
    since = models.DateTimeField(_("news since"), null=True, blank=True)
    audience_kind = models.CharField(
        _("audience"), max_length=10, choices=AudienceKind.choices, default=AudienceKind.ALL
    )
    audience_sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices, blank=True)
    audience_issue = models.ForeignKey(
        "agenda.Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("issue"),
    )  # fmt: skip
    audience_segment = models.ForeignKey(
        Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="newsletters",
        verbose_name=_("saved segment"),
    )  # fmt: skip
    public = models.BooleanField(
        _("publish a public edition"), default=False,
        help_text=_("Once sent, its TLP:CLEAR parts are published on the community's public page and feed."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("composed by"),
    )  # fmt: skip
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        indexes = [models.Index(fields=["community", "status"], name="newsletter_community_status")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletters:detail", kwargs={"slug": self.community.slug, "pk": self.pk})


class Section(models.Model):
    """One part of a newsletter. A pre-filled section names the records it was built from (`sources`: a list of
    [model label, primary key]) and carries the narrowest of their markings (`tlp`); a reader who may not see
    every one of them does not get the section."""

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="sections", verbose_name=_("newsletter")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=SectionKind.choices, default=SectionKind.TEXT)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True, max_length=20000)
    tlp = models.CharField(_("marking"), max_length=20, choices=TLP.choices, default=TLP.GREEN)
    sources = models.JSONField(_("built from"), default=list, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.heading


class Delivery(models.Model):
    """One recipient's copy of a sent newsletter: where it went and what became of it."""

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("newsletter")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    email = models.EmailField(_("e-mail"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["email", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["newsletter", "user"], name="delivery_one_per_user")]
        indexes = [models.Index(fields=["newsletter", "status"], name="delivery_newsletter_status")]

    def __str__(self) -> str:
        return f"{self.newsletter} → {self.email}"
