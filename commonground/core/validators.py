"""Rules for US postal values, shared by the model fields (so the API and forms) and the importers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalized_state_code(value: str) -> str:
    """Return a state's two-letter postal code in capitals, or raise ValueError for anything else."""
    value = value.strip().upper()
    if value and (len(value) != 2 or not value.isalpha()):
        raise ValueError(_("'%(value)s' is not a two-letter state code") % {"value": value[:20]})
    return value


def normalized_zip_code(value: str) -> str:
    """Return a ZIP code (five digits, or ZIP+4 with or without its hyphen), or raise ValueError."""
    value = value.strip()
    digits = value.replace("-", "")
    if value and (not digits.isdigit() or not digits.isascii() or len(digits) not in (5, 9)):
        raise ValueError(_("'%(value)s' is not a ZIP code") % {"value": value[:20]})
    return value


def validate_state_code(value: str) -> None:
    """Refuse a value that is not a two-letter state code (the model field's validator)."""
    try:
        normalized_state_code(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid") from None


def validate_zip_code(value: str) -> None:
    """Refuse a value that is not a ZIP code (the model field's validator)."""
    try:
        normalized_zip_code(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid") from None
