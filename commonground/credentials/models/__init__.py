"""The business re-entry credential program: its set-up, facilities, nominations, credentials, signing keys,
activations and the checks made at checkpoints.

None of these records carries a TLP marking: who reads them is decided here (`visible_to`), by role. A
credential's face (name, organization, facility, kind, validity) is TLP:CLEAR by design (it is printed on a
card shown at a perimeter); a nomination's reason and photo are read only by the nominating organization's
admins, the nominee, the approvers and the facilitators. Their audit entries (`audit_community`) are read
only by the community's co-chairs and the facilitators, never by another table's co-chairs through an
organization both tables seat.
"""

from .cards import Activation, Credential, CredentialCheck, CredentialCheckQuerySet, CredentialQuerySet
from .enrolment import Facility, Nomination, NominationQuerySet, photo_path
from .program import CommunityQuerySet, Program, RestrictedArea, SigningKey, approver_q

__all__ = [
    "Activation",
    "CommunityQuerySet",
    "Credential",
    "CredentialCheck",
    "CredentialCheckQuerySet",
    "CredentialQuerySet",
    "Facility",
    "Nomination",
    "NominationQuerySet",
    "Program",
    "RestrictedArea",
    "SigningKey",
    "approver_q",
    "photo_path",
]
