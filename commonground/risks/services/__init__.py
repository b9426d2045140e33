"""Writes of step 5: hazards, critical functions and assessments; each checks permission, validates and audits."""

from .assessments import (
    ASSESSMENT_FIELDS,
    FUNCTION_FIELDS,
    assessment_create,
    assessment_delete,
    assessment_update,
    function_create,
    function_delete,
    function_update,
)
from .hazards import HAZARD_FIELDS, hazard_create, hazard_delete, hazard_update

__all__ = [
    "ASSESSMENT_FIELDS", "FUNCTION_FIELDS", "HAZARD_FIELDS", "assessment_create", "assessment_delete",
    "assessment_update", "function_create", "function_delete", "function_update", "hazard_create",
    "hazard_delete", "hazard_update",
]  # fmt: skip
