import django_filters

from .models import Activation, Credential, Facility, Nomination, Program


class CommunityFilterSet(django_filters.FilterSet):
    community = django_filters.CharFilter(field_name="community__slug")


class FacilityFilterSet(CommunityFilterSet):
    class Meta:
        model = Facility
        fields = ["community", "organization"]


class NominationFilterSet(CommunityFilterSet):
    class Meta:
        model = Nomination
        fields = ["community", "organization", "status", "kind"]


class CredentialFilterSet(CommunityFilterSet):
    class Meta:
        model = Credential
        fields = ["community", "organization", "status", "kind"]


class ActivationFilterSet(CommunityFilterSet):
    class Meta:
        model = Activation
        fields = ["community"]


class ProgramFilterSet(CommunityFilterSet):
    class Meta:
        model = Program
        fields = ["community"]
