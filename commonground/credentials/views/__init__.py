"""The program's pages: set-up, facilities, nominations, approval, cards and the phone wallet, activations.

By concept: `program` (set-up, keys, areas), `enrolment` (facilities, nominations) and `cards` (credentials,
wallet, activations).
"""

from .cards import (
    ActivationCreateView,
    ActivationEndView,
    CredentialDetailView,
    CredentialMixin,
    CredentialQrView,
    CredentialRevokeView,
    WalletView,
)
from .enrolment import (
    EnrolMixin,
    FacilityCreateView,
    FacilityListView,
    NominationActionView,
    NominationCreateView,
    NominationDetailView,
    NominationListView,
    NominationMixin,
    NominationPhotoView,
)
from .imports import NominationImportView
from .program import (
    AreaCreateView,
    KeyRotateView,
    KeyWithdrawView,
    ProgramEditView,
    ProgramMixin,
    ProgramView,
)

__all__ = [
    "ProgramMixin",
    "ProgramView",
    "ProgramEditView",
    "KeyRotateView",
    "KeyWithdrawView",
    "AreaCreateView",
    "FacilityListView",
    "EnrolMixin",
    "FacilityCreateView",
    "NominationListView",
    "NominationCreateView",
    "NominationImportView",
    "NominationMixin",
    "NominationDetailView",
    "NominationPhotoView",
    "NominationActionView",
    "CredentialMixin",
    "CredentialDetailView",
    "CredentialQrView",
    "CredentialRevokeView",
    "WalletView",
    "ActivationCreateView",
    "ActivationEndView",
]
