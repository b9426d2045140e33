"""Step 6, first part: the needs assessment that finds where the partnership must improve."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.agenda.choices import MissionArea
from commonground.communities.querysets import TableRecordQuerySet
from commonground.core.models import TimeStampedModel
from commonground.registry.records import OrganizationRecord, OwnedQuerySet

from ..choices import Importance, Level, Poete

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class NeedsAssessment(TimeStampedModel):
    """A questionnaire the co-chairs put to every member organization, open between two dates."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="needs_assessments",
        verbose_name=_("community"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"), default=timezone.localdate)
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_on = models.DateField(_("organizations last reminded"), null=True, blank=True, editable=False)

    objects = TableRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sustainability:assessment_detail", args=[self.pk])

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("It closes after it opens.")})

    @property
    def is_open(self) -> bool:
        return self.opens_on <= timezone.localdate() <= self.closes_on


class NeedsItemQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> "NeedsItemQuerySet":
        """Return the items of the needs assessments the viewer may see."""
        return self.filter(assessment__in=NeedsAssessment.objects.visible_to(viewer).values("pk"))


class NeedsItem(TimeStampedModel):
    """One question of an assessment: a capability within a mission area, worded for the community."""

    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="items", verbose_name=_("assessment")
    )
    mission_area = models.CharField(_("mission area"), max_length=12, choices=MissionArea.choices)
    capability = models.CharField(_("core capability"), max_length=120, blank=True)
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The co-chairs may place a need on the prioritized list themselves, saying why; the score orders the rest.
    agreed_rank = models.PositiveSmallIntegerField(_("place the co-chairs gave it"), null=True, blank=True)
    rank_reason = models.CharField(_("why the co-chairs placed it there"), max_length=500, blank=True)

    objects = NeedsItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("needs-assessment item")
        verbose_name_plural = _("needs-assessment items")

    def __str__(self) -> str:
        return self.text


class NeedsAnswerQuerySet(OwnedQuerySet):
    def submitted(self) -> "NeedsAnswerQuerySet":
        """Return the answers their organization has submitted: the only ones any figure counts."""
        return self.filter(draft=False)

    def tlp_q(self, viewer) -> Q:
        """Return the marking's rule, narrowed for a draft to its organization and those who may answer for it
        (the community's co-chairs, facilitators): a draft is work in progress, shown to nobody else."""
        if viewer.is_facilitator:
            return super().tlp_q(viewer)
        writers = Q(community_id__in=sorted(viewer.cochair_community_ids))
        if viewer.organization_id:
            writers |= Q(organization_id=viewer.organization_id)
        return super().tlp_q(viewer) & (Q(draft=False) | writers)


class NeedsAnswer(OrganizationRecord):
    """An organization's answer to one item: where it stands, how much it matters, where the gap lies.

    Answered one mission area at a time, an answer is a draft until the organization submits the whole.
    """

    item = models.ForeignKey(
        NeedsItem, on_delete=models.CASCADE, related_name="answers", verbose_name=_("item")
    )
    answered_by = models.ForeignKey(
        "registry.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("current level"), choices=Level.choices, validators=SCORE)
    importance = models.PositiveSmallIntegerField(
        _("importance"), choices=Importance.choices, validators=SCORE
    )
    poete = models.CharField(
        _("where the gap lies"), max_length=12, choices=Poete.choices, blank=True,
        help_text=_("Planning, organization, equipment, training or exercises."),
    )  # fmt: skip
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    draft = models.BooleanField(
        _("draft"),
        default=False,
        help_text=_("Saved, not yet submitted: counted nowhere, shown to nobody else."),
    )

    objects = NeedsAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["item__position", "organization__name", "id"]
        verbose_name = _("needs-assessment answer")
        verbose_name_plural = _("needs-assessment answers")
        constraints = [
            models.UniqueConstraint(fields=["item", "organization"], name="needs_answer_one_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.item}"


class NeedProposal(TimeStampedModel):
    """A need the co-chairs put forward for the next needs assessment, from what an incident showed was missing.

    The next assessment opened (`needs_assessment_open`) asks it as an item and records that it did.
    """

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="need_proposals",
        verbose_name=_("community"),
    )  # fmt: skip
    mission_area = models.CharField(_("mission area"), max_length=12, choices=MissionArea.choices)
    capability = models.CharField(_("core capability"), max_length=120, blank=True)
    text = models.CharField(_("question"), max_length=300)
    source = models.CharField(_("where it comes from"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    item = models.OneToOneField(
        NeedsItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal",
        verbose_name=_("asked as"),
    )  # fmt: skip

    objects = TableRecordQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("need proposal")
        verbose_name_plural = _("need proposals")
        constraints = [
            models.UniqueConstraint(fields=["community", "source"], name="need_proposal_unique_source"),
        ]

    def __str__(self) -> str:
        return self.text
