"""What of the credential program a one-community backup holds (its signing keys stay encrypted)."""

from commonground.core.backup import CommunityScope

from . import models

# Every model of the program, in the order a restore writes them; each has a `community`.
MODELS = (
    models.Program, models.RestrictedArea, models.Facility, models.Nomination, models.SigningKey,
    models.Credential, models.Activation, models.CredentialCheck,
)  # fmt: skip


def community_scope(scope: CommunityScope) -> dict:
    community = scope["communities.Community"].get()
    return {model._meta.label: model.objects.filter(community=community) for model in MODELS}
