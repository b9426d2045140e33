from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import Form, ModelForm

from .models import OWN_MARKINGS, Newsletter, Section, Segment


class NewsletterForm(ModelForm):
    class Meta:
        model = Newsletter
        fields = [
            "subject", "intro", "intro_tlp", "audience_kind", "audience_sector", "audience_issue", "audience_segment",
            "public",
        ]  # fmt: skip
        widgets = {"intro": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, issues, segments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_issue"].queryset = issues
        self.fields["audience_segment"].queryset = segments


class SectionForm(ModelForm):
    class Meta:
        model = Section
        fields = ["heading", "body", "tlp"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.sources:
            # Built from records: it carries their marking, shown but not chosen.
            self.fields["tlp"].disabled = True
        else:
            self.fields["tlp"].choices = OWN_MARKINGS


class SegmentForm(ModelForm):
    class Meta:
        model = Segment
        fields = ["name", "kind", "sector", "issue"]

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].queryset = issues


class RecipientForm(Form):
    recipient = forms.IntegerField(label=_("Preview as"), min_value=1)
