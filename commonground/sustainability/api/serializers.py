from rest_framework import serializers

from commonground.communities.api.serializers import (
    CommunitySlugField,
    OrganizationIdField,
    VisibleOrganizationField,
    VisiblePersonField,
)
from commonground.core.api.fields import VisibleRelatedField
from commonground.core.tlp import ORGANIZATION_MARKINGS, TLP

from ..choices import Importance, Level, Poete, TaskStatus
from ..models import Goal, NeedsAnswer, NeedsAssessment, NeedsItem, Task


class NeedsItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedsItem
        fields = ["id", "mission_area", "capability", "text", "position"]


class NeedsAssessmentSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    is_open = serializers.BooleanField(read_only=True)
    items = NeedsItemSerializer(many=True, read_only=True)

    class Meta:
        model = NeedsAssessment
        fields = [
            "id",
            "community",
            "title",
            "opens_on",
            "closes_on",
            "is_open",
            "items",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "created", "updated"]


class AnswerSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = NeedsAnswer
        fields = ["id", "item", "organization", "organization_name", "level", "importance", "poete", "comment", "tlp",
                  "draft", "updated"]  # fmt: skip
        read_only_fields = ["draft"]


class AnswerRowSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices)
    importance = serializers.ChoiceField(choices=Importance.choices)
    poete = serializers.ChoiceField(choices=Poete.choices, required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AnswerSheetSerializer(serializers.Serializer):
    organization = OrganizationIdField()
    tlp = serializers.ChoiceField(choices=ORGANIZATION_MARKINGS, default=TLP.AMBER)
    answers = AnswerRowSerializer(many=True, allow_empty=False, max_length=500)
    draft = serializers.BooleanField(
        default=False,
        help_text="Save as a draft (counted nowhere, shown to nobody outside the organization and those who may "
        "answer for it) until the submit action; without it the answers count at once.",
    )


class AnswerSubmitSerializer(serializers.Serializer):
    organization = OrganizationIdField()


class ItemNeedSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    text = serializers.CharField(source="item.text")
    mission_area = serializers.CharField(source="item.mission_area")
    organizations = serializers.IntegerField()
    with_need = serializers.IntegerField()
    importance = serializers.FloatField(allow_null=True)
    level = serializers.FloatField(allow_null=True)
    public_level = serializers.FloatField(allow_null=True)
    private_level = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True, help_text="The priority, 0 to 100.")
    agreed_rank = serializers.IntegerField(source="item.agreed_rank", allow_null=True,
                                           help_text="The place the co-chairs gave it, if they did.")  # fmt: skip
    rank_reason = serializers.CharField(source="item.rank_reason")


class NeedRankSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="An item of this assessment.")
    rank = serializers.IntegerField(min_value=1, max_value=500, allow_null=True,
                                    help_text="1 is first; null gives the need back to its score.")  # fmt: skip
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class NeedsProfileSerializer(serializers.Serializer):
    marking = serializers.CharField()
    answering_organizations = serializers.IntegerField()
    ranked = ItemNeedSerializer(many=True, help_text="The prioritized needs, highest first.")
    items = ItemNeedSerializer(
        many=True,
        help_text="Every item in order; no figures where nothing the requester may count stands behind them.",
    )


class VisibleNeedField(VisibleRelatedField):
    model = NeedsItem

    def records(self, viewer):
        return NeedsItem.objects.visible_to(viewer)


class VisibleGoalField(VisibleRelatedField):
    model = Goal


class GoalSerializer(serializers.ModelSerializer):
    community = CommunitySlugField()
    needs = VisibleNeedField(many=True, required=False)

    class Meta:
        model = Goal
        fields = ["id", "community", "statement", "measure", "target_date", "needs", "created", "updated"]
        read_only_fields = ["id", "created", "updated"]


class TaskSerializer(serializers.ModelSerializer):
    goal = VisibleGoalField()
    owner_organization = VisibleOrganizationField()
    owner_person = VisiblePersonField(required=False, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "goal", "template", "title", "description", "owner_organization", "owner_person", "due_on",
                  "status", "completed_on", "notes", "is_overdue", "created", "updated"]  # fmt: skip
        read_only_fields = ["id", "status", "completed_on", "notes", "created", "updated"]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}}


class ProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
