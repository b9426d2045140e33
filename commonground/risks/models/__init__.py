"""Step 5: the hazards, each organization's critical functions and its self-assessment of the hazards."""

from .assessments import CriticalFunction, HazardAssessment
from .hazards import Hazard, HazardQuerySet

__all__ = ["CriticalFunction", "Hazard", "HazardAssessment", "HazardQuerySet"]
