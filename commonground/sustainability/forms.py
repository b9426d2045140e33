from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import Form, ModelForm
from commonground.core.tlp import ORGANIZATION_MARKINGS, TLP
from commonground.registry.models import Organization

from .choices import Importance, Level, Poete, TaskStatus
from .models import Goal, NeedsAssessment, NeedsItem, Task


class AssessmentForm(ModelForm):
    class Meta:
        model = NeedsAssessment
        fields = ["title", "opens_on", "closes_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }


class ItemForm(ModelForm):
    class Meta:
        model = NeedsItem
        fields = ["mission_area", "capability", "text", "position"]


class AnswerSheetForm(Form):
    """The whole questionnaire for one organization: per item its level, importance, gap (POETE) and comment."""

    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Answering for"))
    tlp = forms.ChoiceField(
        choices=ORGANIZATION_MARKINGS, initial=TLP.AMBER, label=_("Marking of the answers")
    )

    def __init__(self, *args, items, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if organizations.count() == 1:
            self.fields["organization"].initial = organizations.first().pk
        self.items = list(items)
        optional = [("", "—")]
        for item in self.items:
            prefix = f"item_{item.pk}"
            self.fields[f"{prefix}_level"] = forms.TypedChoiceField(
                choices=optional + Level.choices,
                coerce=int,
                empty_value=None,
                required=False,
                label=_("Current level"),
            )
            self.fields[f"{prefix}_importance"] = forms.TypedChoiceField(
                choices=optional + Importance.choices, coerce=int, empty_value=None, required=False,
                label=_("Importance"),
            )  # fmt: skip
            self.fields[f"{prefix}_poete"] = forms.ChoiceField(
                choices=optional + Poete.choices, required=False, label=_("Where the gap lies")
            )
            self.fields[f"{prefix}_comment"] = forms.CharField(
                required=False, max_length=2000, label=_("Comment")
            )

    def rows(self):
        """Each item with its bound fields, for the template."""
        for item in self.items:
            prefix = f"item_{item.pk}"
            yield item, [self[f"{prefix}_{name}"] for name in ("level", "importance", "poete", "comment")]

    def clean(self):
        data = super().clean()
        for item in self.items:
            level, importance = data.get(f"item_{item.pk}_level"), data.get(f"item_{item.pk}_importance")
            if (level is None) != (importance is None):
                self.add_error(
                    f"item_{item.pk}_level", _("Give both the level and the importance, or neither.")
                )
        return data

    def answers(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"item": item.pk, "level": data[f"item_{item.pk}_level"], "importance": data[f"item_{item.pk}_importance"],
             "poete": data[f"item_{item.pk}_poete"], "comment": data[f"item_{item.pk}_comment"]}
            for item in self.items
            if data.get(f"item_{item.pk}_level") is not None
        ]  # fmt: skip


class GoalForm(ModelForm):
    class Meta:
        model = Goal
        fields = ["statement", "measure", "target_date", "needs"]
        widgets = {
            "measure": forms.Textarea(attrs={"rows": 2}),
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "needs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs


class TaskForm(ModelForm):
    class Meta:
        model = Task
        fields = ["template", "title", "description", "owner_organization", "owner_person", "due_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"title": _("Leave blank to take the template's.")}

    def __init__(self, *args, organizations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["owner_organization"].queryset = organizations
        self.fields["owner_person"].queryset = people

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("template"):
            self.add_error("title", _("Give the task a title, or choose a template."))
        return data


class ProgressForm(Form):
    status = forms.ChoiceField(choices=TaskStatus.choices, label=_("Status"))
    note = forms.CharField(
        label=_("Progress note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
