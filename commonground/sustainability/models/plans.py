"""Step 6: the goals set against the prioritized needs, and the tasks that carry them out."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.communities.querysets import TableRecordQuerySet
from commonground.core.models import TimeStampedModel

from ..choices import TEMPLATE_CHOICES, TaskStatus
from .needs import NeedsItem


class GoalQuerySet(TableRecordQuerySet):
    """Goals are the table's shared plan."""


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
    # The improvement plan of a tabletop exercise: the goal its corrective actions go under.
    exercise = models.OneToOneField(
        "sustainability.Meeting", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="improvement_plan", verbose_name=_("improvement plan of the exercise"),
    )  # fmt: skip

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
    reminded_on = models.DateField(_("owner last reminded"), null=True, blank=True, editable=False)
    # A corrective action of an exercise's after-action report is a task that answers one observation.
    observation = models.ForeignKey(
        "sustainability.Observation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="corrective_actions", verbose_name=_("answers the observation"),
    )  # fmt: skip

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
