"""Step 6: the workshops and exercises a facilitated partnership runs, and their after-action reports.

A series (overview, orientation and planning kick-off, status workshop, tabletop exercise) spans six to
eighteen months, each building on the last; the partnership's own meetings follow. Attendance is kept by
organization. A tabletop exercise has a scenario drawn from the hazards of step 5, objectives, and an
after-action report in the HSEEP manner: strengths and areas for improvement per objective or core
capability, and corrective actions that are tasks (`Task.observation`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.communities.querysets import TableRecordQuerySet
from commonground.core.models import TimeStampedModel

from ..choices import MeetingKind, ObservationKind, Poete, core_capabilities


class MeetingQuerySet(TableRecordQuerySet):
    """Workshops and meetings are shared with the whole table."""


class Meeting(TimeStampedModel):
    """A workshop, an exercise or a meeting of the partnership, on a date, with an agenda."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("community"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True, max_length=10000)
    scenario = models.TextField(
        _("scenario"), blank=True, max_length=10000, help_text=_("Tabletop exercises: the situation played.")
    )
    scenario_hazards = models.ManyToManyField(
        "risks.Hazard", blank=True, related_name="exercises", verbose_name=_("hazards of the scenario")
    )
    after_action_summary = models.TextField(
        _("after-action summary"), blank=True, max_length=10000,
        help_text=_("Tabletop exercises: what the exercise showed, in a few paragraphs."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("workshop or meeting")
        verbose_name_plural = _("workshops and meetings")
        indexes = [models.Index(fields=["community", "starts_at"], name="meeting_community_start")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sustainability:meeting_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("It ends after it starts.")
        if not self.is_exercise and self.scenario.strip():
            errors["scenario"] = _("Only a tabletop exercise has a scenario.")
        if not self.is_exercise and self.after_action_summary.strip():
            errors["after_action_summary"] = _("Only a tabletop exercise has an after-action report.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_exercise(self) -> bool:
        return self.kind == MeetingKind.TABLETOP

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()


class Attendance(TimeStampedModel):
    """An organization's presence at a meeting, with how many of its people came."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="attendance",
        verbose_name=_("organization"),
    )  # fmt: skip
    people = models.PositiveSmallIntegerField(_("people who came"), default=1)

    class Meta:
        ordering = ["organization__name", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization"], name="attendance_one_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.meeting}"


def check_capability(name: str) -> None:
    """Refuse a core capability the National Preparedness Goal does not name."""
    if name and name not in core_capabilities():
        raise ValidationError(
            {
                "capability": _("%(name)s is not a core capability of the National Preparedness Goal.")
                % {"name": name}
            }
        )


class ExerciseObjective(TimeStampedModel):
    """What a tabletop exercise sets out to test, tied to a core capability."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("exercise")
    )
    text = models.CharField(_("objective"), max_length=300)
    capability = models.CharField(_("core capability"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("exercise objective")
        verbose_name_plural = _("exercise objectives")

    def __str__(self) -> str:
        return self.text

    def clean(self):
        check_capability(self.capability)


class Observation(TimeStampedModel):
    """A strength or an area for improvement that an exercise showed, for an objective or a capability."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="observations", verbose_name=_("exercise")
    )
    objective = models.ForeignKey(
        ExerciseObjective, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations",
        verbose_name=_("objective"),
    )  # fmt: skip
    capability = models.CharField(_("core capability"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ObservationKind.choices)
    text = models.CharField(_("observation"), max_length=300)
    analysis = models.TextField(_("analysis"), blank=True, max_length=4000)
    poete = models.CharField(
        _("capability element"), max_length=12, choices=Poete.choices, blank=True,
        help_text=_("Areas for improvement: planning, organization, equipment, training or exercises."),
    )  # fmt: skip

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return self.text

    def clean(self):
        if not self.objective_id and not self.capability:
            raise ValidationError({"capability": _("Name the objective or the core capability it concerns.")})
        check_capability(self.capability)
