"""Writes of the credential program. Every write checks its permission, validates, and is audited.

Each state change has one writer: `credential_issue` is called only by `nomination_approve` (the second
approval issues), `credential_revoke` by the revoke page and API and by `credential_issue` (superseding).

The writes live by concept: `program` (set-up, keys, areas), `enrolment` (facilities, nominations, approval)
and `issuing` (credentials, revocation, activations, check logs); every name is read from here.
"""

from .enrolment import (
    PHOTO_FORMATS,
    PHOTO_MAX_BYTES,
    US_BOXES,
    check_photo,
    facility_create,
    in_united_states,
    nomination_acknowledge,
    nomination_approve,
    nomination_create,
    nomination_errors,
    nomination_refuse,
    nomination_withdraw,
)
from .issuing import (
    activation_create,
    activation_end,
    check_record,
    checks_upload,
    claims_of,
    credential_issue,
    credential_revoke,
    new_public_id,
)
from .program import (
    PROGRAM_FIELDS,
    area_contains,
    area_create,
    key_rotate,
    key_withdraw,
    program_of,
    program_save,
    program_update,
    signing_key_current,
)

__all__ = [
    "PHOTO_FORMATS",
    "PHOTO_MAX_BYTES",
    "PROGRAM_FIELDS",
    "US_BOXES",
    "activation_create",
    "activation_end",
    "area_contains",
    "area_create",
    "check_photo",
    "check_record",
    "checks_upload",
    "claims_of",
    "credential_issue",
    "credential_revoke",
    "facility_create",
    "in_united_states",
    "key_rotate",
    "key_withdraw",
    "new_public_id",
    "nomination_acknowledge",
    "nomination_approve",
    "nomination_create",
    "nomination_errors",
    "nomination_refuse",
    "nomination_withdraw",
    "program_of",
    "program_save",
    "program_update",
    "signing_key_current",
]
