"""Each community's progress through the six steps as last computed by the worker, so that the program's
tables read every community's six states in a fixed number of queries however many communities there are."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, STATUS_LABELS, STEP_TITLES

STATUS_CHOICES = [(status, STATUS_LABELS[status]) for status in (DONE, IN_PROGRESS, NOT_STARTED)]
# How far along a status is, for sorting: done first when sorted from the top.
STATUS_RANK = {DONE: 2, IN_PROGRESS: 1, NOT_STARTED: 0}


class StepRecordQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> "StepRecordQuerySet":
        """Every community's step states: the program shows how far along each is to everyone (its public
        face); the summaries, which count the table's records, are shown to facilitators only."""
        return self.all()


class StepRecord(models.Model):
    """One step's state for one community, as `communities.progress` judged it when last computed."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="step_records",
        verbose_name=_("community"),
    )  # fmt: skip
    number = models.PositiveSmallIntegerField(_("step"), choices=[(n, t) for n, t in STEP_TITLES.items()])
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES, default=NOT_STARTED)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    objects = StepRecordQuerySet.as_manager()

    class Meta:
        ordering = ["community", "number"]
        verbose_name = _("step record")
        verbose_name_plural = _("step records")
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="step_record_one_a_step")]
        indexes = [models.Index(fields=["status", "community"], name="step_record_status")]

    def __str__(self) -> str:
        return f"{self.community_id} step {self.number}: {self.status}"


class ProgramStamp(models.Model):
    """The program-wide rows change when this token does: every write of a table they read draws a new one as
    soon as it commits, so every server's rows kept under the old token go unread (`program.stamp`). One row,
    made by the first write after the installation (until then nothing is kept)."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("program stamp")
        verbose_name_plural = _("program stamps")

    def __str__(self) -> str:
        return self.token
