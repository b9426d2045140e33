from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commonground.communities.api.serializers import (
    CommunitySlugField,
    OrganizationIdField,
    VisibleOrganizationField,
)
from commonground.core.api.fields import PrimaryKeyRelatedField, VisibleRelatedField

from ..choices import Decision, Severity
from ..hazards import hazard_choices
from ..models import Ballot, Comment, Endorsement, Issue, Vote
from ..services import ISSUE_FIELDS


@extend_schema_field(OpenApiTypes.INT)
class VisibleIssueField(VisibleRelatedField):
    model = Issue


class VisibleHazardField(PrimaryKeyRelatedField):
    def get_queryset(self):
        from commonground.core.viewer import viewer_for

        return hazard_choices(viewer=viewer_for(self.context["request"].user))


class CollectiveImpactSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="The collective-impact score that ranks the issues (0 to 100).")
    endorsing = serializers.IntegerField()
    members = serializers.IntegerField(help_text="Organizations at the table.")
    public = serializers.IntegerField()
    private_side = serializers.IntegerField(help_text="Private and non-profit organizations that endorse it.")
    share = serializers.FloatField(help_text="Share of the table's organizations that endorse it.")
    public_share = serializers.FloatField()
    private_share = serializers.FloatField()
    balance = serializers.FloatField()
    categories = serializers.IntegerField()
    spread = serializers.FloatField()
    mean_severity = serializers.FloatField()
    both_sectors = serializers.BooleanField()


class IssueSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    organization = VisibleOrganizationField(help_text="The organization that proposes it (and endorses it).")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    hazards = VisibleHazardField(many=True, required=False)
    severity = serializers.ChoiceField(
        choices=Severity.choices, write_only=True, required=False,
        help_text="On proposal: how badly it affects the proposing organization (its endorsement).",
    )  # fmt: skip
    collective_impact = CollectiveImpactSerializer(source="impact", read_only=True)
    merged_into = serializers.SerializerMethodField(
        help_text="The issue this one was merged into, where the reader may see it (null otherwise)."
    )

    class Meta:
        model = Issue
        fields = [
            "id", "community", "organization", "organization_name", *ISSUE_FIELDS, "hazards", "severity",
            "status", "decision_reason", "decided_on", "merged_into", "agenda_rank", "collective_impact",
            "created", "updated",
        ]  # fmt: skip
        read_only_fields = ["id", "status", "decision_reason", "decided_on", "merged_into", "agenda_rank",
                            "created", "updated"]  # fmt: skip

    def get_merged_into(self, issue) -> int | None:
        """The key of the issue it went into, only for a reader who may see that one: it may be marked for fewer
        readers (a TLP:CLEAR issue merged into a TLP:GREEN one). A list asks once for every issue of its page."""
        if issue.merged_into_id is None:
            return None
        asked, seen = self.context.setdefault("merged into seen", (set(), set()))
        if issue.merged_into_id not in asked:
            from commonground.core.viewer import viewer_for

            listed = self.parent.instance if isinstance(self.parent, serializers.ListSerializer) else None
            keys = {i.merged_into_id for i in listed or () if i.merged_into_id is not None} - asked
            keys.add(issue.merged_into_id)
            viewer = viewer_for(self.context["request"].user)
            seen.update(Issue.objects.visible_to(viewer).filter(pk__in=keys).values_list("pk", flat=True))
            asked.update(keys)
        return issue.merged_into_id if issue.merged_into_id in seen else None


class EndorsementSerializer(serializers.ModelSerializer):
    organization = VisibleOrganizationField()
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    sector = serializers.CharField(source="organization.sector", read_only=True)

    class Meta:
        model = Endorsement
        fields = [
            "id",
            "issue",
            "organization",
            "organization_name",
            "sector",
            "severity",
            "comment",
            "created",
        ]
        read_only_fields = ["id", "issue", "created"]


class WithdrawSerializer(serializers.Serializer):
    organization = OrganizationIdField()


class CommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = ["id", "issue", "author", "author_name", "body", "created"]
        read_only_fields = ["id", "issue", "author", "author_name", "created"]


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MergeSerializer(serializers.Serializer):
    into = VisibleIssueField(help_text="The issue that absorbs this duplicate.")


class VoteSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    issues = VisibleIssueField(many=True)
    ballots = serializers.IntegerField(source="ballot_count", read_only=True, default=0)

    class Meta:
        model = Vote
        fields = [
            "id",
            "community",
            "title",
            "kind",
            "dots",
            "issues",
            "status",
            "ballots",
            "closed_at",
            "created",
        ]
        read_only_fields = ["id", "status", "closed_at", "created"]


class BallotSerializer(serializers.ModelSerializer):
    organization = VisibleOrganizationField()
    choices = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=1000),
        help_text="Issue id: rank (1 first) in a ranked vote, or dots in a dot vote.",
    )

    class Meta:
        model = Ballot
        fields = ["id", "vote", "organization", "choices", "created", "updated"]
        read_only_fields = ["id", "vote", "created", "updated"]


class ResultSerializer(serializers.Serializer):
    issue = serializers.IntegerField(source="issue_id")
    points = serializers.IntegerField()
    place = serializers.IntegerField()
