"""Step 6: the needs assessment that finds where the partnership must improve."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.agenda.choices import MissionArea
from commonground.core.models import TimeStampedModel
from commonground.core.records import OrganizationRecord

from .choices import TEMPLATE_CHOICES, Importance, Level, Poete, TaskStatus

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


class NeedsItem(TimeStampedModel):
    """One question of an assessment: a capability within a mission area, worded for the community."""

    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="items", verbose_name=_("assessment")
    )
    mission_area = models.CharField(_("mission area"), max_length=12, choices=MissionArea.choices)
    capability = models.CharField(_("core capability"), max_length=120, blank=True)
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("needs-assessment item")
        verbose_name_plural = _("needs-assessment items")

    def __str__(self) -> str:
        return self.text


class NeedsAnswer(OrganizationRecord):
    """An organization's answer to one item: where it stands, how much it matters, where the gap lies."""

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

    class Meta:
        ordering = ["item__position", "organization__name", "id"]
        verbose_name = _("needs-assessment answer")
        verbose_name_plural = _("needs-assessment answers")
        constraints = [
            models.UniqueConstraint(fields=["item", "organization"], name="needs_answer_one_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.item}"


class GoalQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> "GoalQuerySet":
        """Return the goals of the communities the viewer sits in: the table's shared plan (facilitators: all)."""
        if viewer.is_facilitator:
            return self.all()
        return self.filter(community_id__in=sorted(viewer.community_ids))


class Goal(TimeStampedModel):
    """What the partnership sets out to achieve against one or more prioritized needs, and by when."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="goals", verbose_name=_("community")
    )
    statement = models.CharField(_("goal"), max_length=300)
    measure = models.TextField(_("measure of success"), max_length=2000)
    target_date = models.DateField(_("target date"))
    needs = models.ManyToManyField(
        NeedsItem, blank=True, related_name="goals", verbose_name=_("needs it answers")
    )

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["target_date", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.statement


class Task(TimeStampedModel):
    """A piece of work toward a goal, owned by an organization (and a person in it), due on a date."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("goal"))
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    template = models.CharField(_("from the template"), max_length=40, choices=TEMPLATE_CHOICES, blank=True)
    # An organization that leaves the platform leaves its tasks ownerless, for co-chairs to hand out again.
    owner_organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.SET_NULL,
        null=True,
        related_name="tasks",
        verbose_name=_("owner organization"),
    )
    owner_person = models.ForeignKey(
        "registry.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks",
        verbose_name=_("owner"),
    )  # fmt: skip
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    notes = models.TextField(_("progress notes"), blank=True, max_length=20000)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sustainability:task_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status != TaskStatus.DONE and self.due_on < timezone.localdate()

    @property
    def on_time(self) -> bool | None:
        """Whether a done task was done by its due date (None while it is open)."""
        return None if self.completed_on is None else self.completed_on <= self.due_on
