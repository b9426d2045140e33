"""What of the credential program a one-community backup holds (its signing keys stay encrypted)."""

from commonground.core.backup import CommunityScope

from .models import (
    Activation,
    Credential,
    CredentialCheck,
    Facility,
    Nomination,
    Program,
    RestrictedArea,
    SigningKey,
)


def community_scope(scope: CommunityScope) -> dict:
    community = scope["communities.Community"].get()
    return {
        "credentials.Program": Program.objects.filter(community=community),
        "credentials.RestrictedArea": RestrictedArea.objects.filter(community=community),
        "credentials.Facility": Facility.objects.filter(community=community),
        "credentials.Nomination": Nomination.objects.filter(community=community),
        "credentials.SigningKey": SigningKey.objects.filter(community=community),
        "credentials.Credential": Credential.objects.filter(community=community),
        "credentials.Activation": Activation.objects.filter(community=community),
        "credentials.CredentialCheck": CredentialCheck.objects.filter(community=community),
    }
