from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core import widgets
from commonground.core.forms import Form, ModelForm, grouped_by
from commonground.core.tlp import ORGANIZATION_MARKINGS, TLP
from commonground.registry.models import Organization, Person

from .choices import Importance, Level, Poete, TaskStatus, core_capabilities
from .models import ExerciseObjective, Goal, Meeting, NeedsAssessment, NeedsItem, Observation, Task


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
    """Questions of the assessment (one mission area's) for one organization: per item its level, importance,
    gap (POETE) and comment."""

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

    def summary_label(self, bound) -> str:
        """Name a field in the error summary by its item, as its label repeats on every item."""
        item = next((i for i in self.items if bound.name.startswith(f"item_{i.pk}_")), None)
        return f"{item.text} ({bound.label})" if item else bound.label

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


class AnswerSubmitForm(Form):
    """Submit an organization's answers. One field per mission area carries that area's error to the summary;
    it is never drawn as an input: the progress list's link to the area has its id (`id_<area>`)."""

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), widget=forms.HiddenInput, label=_("Answering for")
    )

    def __init__(self, *args, organizations, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        for area in areas:
            self.fields[area.mission_area] = forms.CharField(required=False, label=area.label)


class NeedRankForm(Form):
    rank = forms.IntegerField(
        label=_("Place on the prioritized list"), required=False, min_value=1, max_value=500,
        help_text=_("1 is first. Leave it blank to give the need back to its score."),
    )  # fmt: skip
    reason = forms.CharField(label=_("Why the co-chairs place it there"), required=False, max_length=500)


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
        # The iterator first: setting the queryset renders the widget's choices with it.
        self.fields["owner_person"].iterator = grouped_by("organization")
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


def _capability_choices():
    return [("", "—")] + [(name, name) for name in core_capabilities()]


class MeetingForm(ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "kind", "title", "starts_at", "ends_at", "location", "agenda", "scenario", "scenario_hazards",
            "after_action_summary",
        ]  # fmt: skip
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "scenario": forms.Textarea(attrs={"rows": 4}),
            "scenario_hazards": forms.CheckboxSelectMultiple,
            "after_action_summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, hazards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario_hazards"].queryset = hazards
        # The page reads these in the community's zone (`core.viewer.ViewerMixin`): say which.
        zone = _("Local time, %(zone)s.") % {"zone": timezone.get_current_timezone_name()}
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = zone


class AttendanceForm(Form):
    """How many people of each organization at the table came (0 or blank: none)."""

    def __init__(self, *args, organizations, present: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = list(organizations)
        # Added after the form's mixin has given widgets their class: drawn in Python, still without one.
        for organization in self.organizations:
            self.fields[f"org_{organization.pk}"] = forms.IntegerField(
                label=organization.name, required=False, min_value=0, max_value=999,
                initial=present.get(organization.pk), widget=widgets.NumberInput,
            )  # fmt: skip

    def attendance(self) -> dict:
        data = self.cleaned_data
        return {o: data[f"org_{o.pk}"] for o in self.organizations if data.get(f"org_{o.pk}")}


class ObjectiveForm(ModelForm):
    prefix = "objective"  # shares the exercise's page with the observation form
    capability = forms.ChoiceField(label=_("Core capability"), required=False, choices=_capability_choices)

    class Meta:
        model = ExerciseObjective
        fields = ["text", "capability"]


class ObservationForm(ModelForm):
    prefix = "observation"
    capability = forms.ChoiceField(label=_("Core capability"), required=False, choices=_capability_choices)

    class Meta:
        model = Observation
        fields = ["kind", "objective", "capability", "text", "analysis", "poete"]
        widgets = {"analysis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives


class CorrectiveActionForm(Form):
    title = forms.CharField(label=_("Corrective action"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Owner organization")
    )
    owner_person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Owner"), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(), label=_("Goal"), required=False,
        help_text=_("Leave blank to put it in the exercise's improvement plan."),
    )  # fmt: skip

    def __init__(self, *args, organizations, people, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organization"].queryset = organizations
        # The iterator first: setting the queryset renders the widget's choices with it.
        self.fields["owner_person"].iterator = grouped_by("organization")
        self.fields["owner_person"].queryset = people
        self.fields["goal"].queryset = goals
