"""Common issues: specific emergency-preparedness problems that affect the organizations at the table together."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel
from commonground.core.tlp import TLP
from commonground.core.visibility import VisibilityQuerySet

from ..choices import ISSUE_MARKINGS, IssueStatus, MissionArea, Severity

MIN_DESCRIPTION_WORDS = 12
MIN_OUTCOME_WORDS = 5


class IssueQuerySet(VisibilityQuerySet):
    def in_community(self, community) -> "IssueQuerySet":
        return self.filter(community=community)

    def open(self) -> "IssueQuerySet":
        """Return the issues still standing on their own: proposed or adopted, not set aside or merged."""
        return self.filter(status__in=[IssueStatus.PROPOSED, IssueStatus.ADOPTED])


class Issue(TimeStampedModel):
    """A specific problem a member puts to the table: the hazards or situation, the mission area, the outcome sought."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="issues", verbose_name=_("community")
    )
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="proposed_issues",
        verbose_name=_("proposed by"),
    )  # fmt: skip
    proposed_by = models.ForeignKey(
        "registry.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("proposer"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), max_length=4000,
        help_text=_("Who is affected, where, and what goes wrong; specific enough for others to recognise it."),
    )  # fmt: skip
    hazards = models.ManyToManyField(
        "risks.Hazard", blank=True, related_name="issues", verbose_name=_("hazards it concerns")
    )
    situation = models.CharField(
        _("situation it concerns"), max_length=300, blank=True,
        help_text=_("Where no hazard fits: e.g. a shelter opening in a winter storm with the interstate closed."),
    )  # fmt: skip
    mission_area = models.CharField(_("mission area"), max_length=12, choices=MissionArea.choices)
    outcome = models.TextField(
        _("outcome sought"), max_length=1000,
        help_text=_("What would be true when the partnership has solved it."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.PROPOSED
    )
    decision_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_issues",
        verbose_name=_("merged into"),
    )  # fmt: skip
    agenda_rank = models.PositiveSmallIntegerField(
        _("place on the agenda"), null=True, blank=True, help_text=_("Set by the last closed vote.")
    )
    tlp = models.CharField(_("marking"), max_length=20, choices=ISSUE_MARKINGS, default=TLP.GREEN)

    objects = IssueQuerySet.as_manager()

    class TLPOptions:
        marking = "tlp"
        owner = "organization"
        community = "community"

    class Meta:
        ordering = ["-created", "id"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        indexes = [models.Index(fields=["community", "status"], name="issue_community_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agenda:issue_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (IssueStatus.PROPOSED, IssueStatus.ADOPTED)


def _words(text: str | None) -> int:
    return len((text or "").split())


def issue_errors(values, *, hazard_count: int) -> dict[str, str]:
    """Return {field: what to add} for a proposal too vague to work on; empty when it is specific."""
    errors = {}
    if not hazard_count and not (values.get("situation") or "").strip():
        errors["hazards"] = _(
            "Name the hazards it concerns, or describe the situation (e.g. a shelter opening in a winter storm "
            "with the interstate closed)."
        )
    if _words(values.get("description")) < MIN_DESCRIPTION_WORDS:
        errors["description"] = _(
            "Describe it specifically, in at least %(n)d words: who is affected, where, and what goes wrong."
        ) % {"n": MIN_DESCRIPTION_WORDS}
    if not values.get("mission_area"):
        errors["mission_area"] = _(
            "Say which mission area it belongs to: planning, mitigation, response or recovery."
        )
    if _words(values.get("outcome")) < MIN_OUTCOME_WORDS:
        errors["outcome"] = _(
            "Say the outcome the partnership would work toward, in a sentence of at least %(n)d words: "
            "what would be true when it is solved."
        ) % {"n": MIN_OUTCOME_WORDS}
    return errors


class Endorsement(TimeStampedModel):
    """An organization's word that an issue affects it too, and how badly."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="endorsements", verbose_name=_("issue")
    )
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="endorsements",
        verbose_name=_("organization"),
    )  # fmt: skip
    person = models.ForeignKey(
        "registry.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="endorsements",
        verbose_name=_("endorsed by"),
    )  # fmt: skip
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("How badly it affects your organization."),
    )  # fmt: skip
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ["organization__name", "id"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(fields=["issue", "organization"], name="endorsement_one_per_organization")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.issue}"


class Comment(TimeStampedModel):
    """A contribution to an issue's discussion; its endorsers hear of it."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="comments", verbose_name=_("issue")
    )
    author = models.ForeignKey(
        "registry.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="issue_comments",
        verbose_name=_("author"),
    )  # fmt: skip
    author_name = models.CharField(
        _("author's name"),
        max_length=200,
        blank=True,
        help_text=_("As it stood when written (facilitators may have no person)."),
    )
    body = models.TextField(_("comment"), max_length=4000)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.author} on {self.issue}"
