from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import Form, ModelForm
from commonground.registry.models import Organization

from .choices import Decision, Severity
from .models import Issue, Vote


class IssueForm(ModelForm):
    """A proposal (with the proposing organization's own severity) or, for an existing issue, its text."""

    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Proposed by"))
    severity = forms.TypedChoiceField(
        choices=Severity.choices, coerce=int, label=_("How badly it affects your organization")
    )

    class Meta:
        model = Issue
        fields = ["organization", "title", "description", "hazards", "situation", "mission_area", "outcome",
                  "severity", "tlp"]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "hazards": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organizations, hazards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["hazards"].queryset = hazards
        if self.instance.pk:
            del self.fields["organization"], self.fields["severity"]


class EndorseForm(Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("For"))
    severity = forms.TypedChoiceField(
        choices=Severity.choices, coerce=int, label=_("How badly it affects you")
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations
        if self.is_bound:  # posted: the queryset checks the choice
            return
        # One read of the options, for the page to draw them, says whether there is any organization to endorse
        # for, and the only one (iter: `list` would count the rows first).
        field.choices = list(iter(field.choices))
        keys = [value.value for value, _label in field.choices if value != ""]
        self.has_choices = bool(keys)
        if len(keys) == 1:
            field.initial = keys[0]


class CommentForm(Form):
    body = forms.CharField(label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(Form):
    decision = forms.ChoiceField(choices=Decision.choices, label=_("Decision"))
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to set an issue aside; its endorsers read it."),
    )  # fmt: skip


class MergeForm(Form):
    into = forms.ModelChoiceField(queryset=Issue.objects.none(), label=_("Merge into"))

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets

    def has_targets(self) -> bool:
        """Read the targets' options once, for the page to draw them, and return whether there is any: one read
        where asking first and drawing after were two."""
        field = self.fields["into"]
        field.choices = list(iter(field.choices))  # iter: `list` would count the rows first (`__len__`)
        return any(value != "" for value, _label in field.choices)


class VoteForm(ModelForm):
    class Meta:
        model = Vote
        fields = ["title", "kind", "dots", "issues"]
        widgets = {"issues": forms.CheckboxSelectMultiple}

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = issues


class BallotForm(Form):
    """One number per issue on the ballot: its rank (1 first; blank to leave it unranked) or its dots."""

    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Ballot of"))

    def __init__(self, *args, vote, issues, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if organizations.count() == 1:
            self.fields["organization"].initial = organizations.first().pk
        limit = len(issues) if vote.kind == "ranked" else vote.dots
        for issue in issues:
            self.fields[f"issue_{issue.pk}"] = forms.IntegerField(
                label=issue.title, required=False, min_value=0, max_value=limit,
                widget=forms.NumberInput(attrs={"class": "usa-input usa-input--small"}),
            )  # fmt: skip
        self.issue_ids = [issue.pk for issue in issues]

    def choices(self) -> dict[str, int]:
        return {
            str(pk): self.cleaned_data[f"issue_{pk}"]
            for pk in self.issue_ids
            if self.cleaned_data.get(f"issue_{pk}")
        }
