"""Writes of step 5: hazards, critical functions and assessments; each checks permission, validates and audits."""

from .assessments import (
    ASSESSMENT_FIELDS,
    FUNCTION_FIELDS,
    function_create,
    function_delete,
    function_update,
    hazard_assessment_create,
    hazard_assessment_delete,
    hazard_assessment_update,
)
from .hazards import HAZARD_FIELDS, hazard_create, hazard_delete, hazard_update

__all__ = [
    "ASSESSMENT_FIELDS", "FUNCTION_FIELDS", "HAZARD_FIELDS", "hazard_assessment_create", "hazard_assessment_delete",
    "hazard_assessment_update", "function_create", "function_delete", "function_update", "hazard_create",
    "hazard_delete", "hazard_update",
]  # fmt: skip
