"""The vocabularies of step 6: where a gap lies (POETE), and the needs-assessment template."""

import json
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data"


class Poete(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ORGANIZATION = "organization", _("Organization")
    EQUIPMENT = "equipment", _("Equipment")
    TRAINING = "training", _("Training")
    EXERCISES = "exercises", _("Exercises")


class Level(models.IntegerChoices):
    NONE = 1, _("1 · Not in place")
    STARTED = 2, _("2 · Started")
    PARTIAL = 3, _("3 · Partly in place")
    MOSTLY = 4, _("4 · Mostly in place")
    FULL = 5, _("5 · Fully in place and exercised")


class Importance(models.IntegerChoices):
    LOW = 1, _("1 · Low")
    MODEST = 2, _("2 · Modest")
    MEDIUM = 3, _("3 · Medium")
    HIGH = 4, _("4 · High")
    CRITICAL = 5, _("5 · Critical")


@cache
def needs_template() -> list[dict]:
    """Return the template's items: the core capabilities of the National Preparedness Goal by mission area."""
    return json.loads((DATA / "needs_template.json").read_text())["items"]


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", _("Done")


# The tasks the Partnership Model names, offered as templates: code -> (title, description).
TASK_TEMPLATES = {
    "review_business_plans": (
        _("Review business emergency response plans"),
        _("Members' emergency response and continuity plans reviewed against the community's hazards, with "
          "public-sector partners, and the gaps found shared with their owners."),
    ),
    "pandemic_plan": (
        _("Develop a community-wide pandemic plan"),
        _("One plan for public health, hospitals, schools and businesses: staffing, continuity of essential "
          "services, vaccination and information to the public."),
    ),
    "business_credentialing": (
        _("Create a credentialing program for businesses"),
        _("Credentials that let critical staff of member businesses through closures and into restricted "
          "areas to restore operations after an incident."),
    ),
    "resource_database": (
        _("Establish a centralized database of community resources"),
        _("Every member records what it can offer in an incident in the community resource database (step 4) "
          "and verifies it twice a year."),
    ),
}  # fmt: skip
TEMPLATE_CHOICES = [(code, title) for code, (title, _description) in TASK_TEMPLATES.items()]


class MeetingKind(models.TextChoices):
    """The workshops and exercises of a facilitated partnership, in the order they usually come."""

    OVERVIEW = "overview", _("Overview")
    KICKOFF = "kickoff", _("Orientation and planning kick-off")
    STATUS = "status", _("Status workshop (risk assessment)")
    TABLETOP = "tabletop", _("Tabletop exercise")
    MEETING = "meeting", _("Partnership meeting")


class ObservationKind(models.TextChoices):
    """HSEEP's two kinds of observation in an after-action report."""

    STRENGTH = "strength", _("Strength")
    IMPROVEMENT = "improvement", _("Area for improvement")


@cache
def core_capabilities() -> list[str]:
    """Return the 32 core capabilities of the National Preparedness Goal, each once, in the Goal's order."""
    areas = json.loads((DATA / "core_capabilities.json").read_text())["mission_areas"]
    return list(dict.fromkeys(name for names in areas.values() for name in names))
