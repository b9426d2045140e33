"""Votes among the member organizations that order the adopted agenda."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.communities.querysets import TableRecordQuerySet
from commonground.core.models import TimeStampedModel

from ..choices import VoteKind, VoteStatus


class Vote(TimeStampedModel):
    """A ranked or dot vote the co-chairs run on the adopted issues; closing it sets their places on the agenda."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="issue_votes",
        verbose_name=_("community"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=VoteKind.choices)
    dots = models.PositiveSmallIntegerField(
        _("dots per organization"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For a dot vote."),
    )  # fmt: skip
    issues = models.ManyToManyField(
        "agenda.Issue", related_name="votes", verbose_name=_("issues on the ballot")
    )
    status = models.CharField(_("status"), max_length=8, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = TableRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agenda:vote_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == VoteStatus.OPEN


class Ballot(TimeStampedModel):
    """One member organization's ballot: its ranks (1 first) or its dots, by issue id."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("vote"))
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="ballots",
        verbose_name=_("organization"),
    )
    cast_by = models.ForeignKey(
        "registry.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("cast by"),
    )  # fmt: skip
    choices = models.JSONField(_("choices"), default=dict, help_text=_("Issue id: rank (1 first) or dots."))

    class Meta:
        ordering = ["organization__name", "id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["vote", "organization"], name="ballot_one_per_organization")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.vote}"
