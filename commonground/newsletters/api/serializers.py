from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commonground.communities.api.serializers import CommunitySlugField
from commonground.core.api.fields import VisibleRelatedField
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.newsletters.models import Newsletter, Section
from commonground.newsletters.rendering import markdown_html, sections_for


class SectionSerializer(serializers.ModelSerializer):
    html = serializers.SerializerMethodField(help_text="The text rendered and sanitized.")

    class Meta:
        model = Section
        fields = ["id", "position", "kind", "heading", "body", "html", "tlp", "sources"]
        read_only_fields = fields

    def get_html(self, section) -> str:
        return str(markdown_html(section.body))


class NewsletterSerializer(serializers.ModelSerializer):
    """A newsletter; its sections are those whose every record the requester may see."""

    community = CommunitySlugField()
    audience_issue = VisibleRelatedField(model="agenda.Issue", required=False, allow_null=True)
    audience_segment = VisibleRelatedField(model="newsletters.Segment", required=False, allow_null=True)
    sections = serializers.SerializerMethodField()

    class Meta:
        model = Newsletter
        fields = [
            "id", "community", "subject", "intro", "intro_tlp", "status", "since", "audience_kind",
            "audience_sector", "audience_issue", "audience_segment", "public", "sent_at", "sections", "created",
            "updated",
        ]  # fmt: skip
        read_only_fields = ["id", "status", "since", "sent_at", "sections", "created", "updated"]
        extra_kwargs = {"subject": {"required": False}}

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, newsletter):
        shown = getattr(newsletter, "shown_sections", None)  # the viewset's, for a whole page at once
        if shown is None:
            viewer = viewer_for(self.context["request"].user)
            shown = sections_for(viewer, newsletter.sections.all(), public=not _in_full(newsletter))
        return SectionSerializer(shown, many=True).data

    def to_representation(self, newsletter):
        data = super().to_representation(newsletter)
        if not _in_full(newsletter):
            # Its public edition: the introduction only when TLP:CLEAR, and not whom it was sent to.
            if newsletter.intro_tlp != TLP.CLEAR:
                data["intro"] = ""
            data.update(audience_kind="", audience_sector="", audience_issue=None, audience_segment=None)
        return data


def _in_full(newsletter) -> bool:
    """Whether the requester reads the newsletter whole (`with_reading`); a freshly written one is its author's."""
    return getattr(newsletter, "in_full", True)


class RecipientSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField(
        allow_blank=True, help_text="Empty where the person's contact details are not shared with you."
    )
    wants_newsletters = serializers.BooleanField(help_text="False: opted out, and will not be sent it.")


class PreviewSerializer(serializers.Serializer):
    to = serializers.EmailField(
        allow_blank=True, help_text="Empty where the recipient's contact details are not shared with you."
    )
    subject = serializers.CharField()
    text = serializers.CharField()
    html = serializers.CharField()
    headers = serializers.DictField(child=serializers.CharField())


class SendResultSerializer(serializers.Serializer):
    recipients = serializers.IntegerField()
