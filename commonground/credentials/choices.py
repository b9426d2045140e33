"""The credential program's vocabularies: the kinds of credential (CEAS's), the reasons, the states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CredentialKind(models.TextChoices):
    STANDARD = "standard", _("Standard: one named person at one facility")
    FLEX = "flex", _("Flex: a facility's card, issued to whoever becomes critical")
    MULTI = "multi", _("Multi-facility: one named person at several facilities")
    ALL = "all", _("All areas (by explicit approval)")
    PLACARD = "placard", _("Windshield placard for a vehicle")


KIND_CODES = [kind.value for kind in CredentialKind]
# Kinds that name a person (a flex card names the facility, a placard the vehicle).
PERSONAL_KINDS = frozenset({CredentialKind.STANDARD, CredentialKind.MULTI, CredentialKind.ALL})


class CriticalReason(models.TextChoices):
    DAMAGE_ASSESSMENT = "damage_assessment", _("Damage assessment")
    SHUTDOWN = "shutdown", _("Shutting systems down")
    VITAL_RECORDS = "vital_records", _("Retrieving vital records")
    RESTORATION = "restoration", _("Restoring the building")
    OTHER = "other", _("Other (explained)")


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class CheckResult(models.TextChoices):
    """What a checkpoint's check found (the same codes on the checkpoint page and in the online check)."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    INACTIVE = "inactive", _("Not active for this area or time")
    FOREIGN = "foreign", _("Not a credential of this community")
    INVALID = "invalid", _("Signature invalid")
    UNREADABLE = "unreadable", _("Unreadable")
