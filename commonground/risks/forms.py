from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import ModelForm
from commonground.registry.models import Organization

from .choices import Lifeline
from .models import CriticalFunction, Hazard, HazardAssessment
from .services import ASSESSMENT_FIELDS, FUNCTION_FIELDS


class HazardForm(ModelForm):
    lifelines = forms.MultipleChoiceField(
        choices=Lifeline.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Lifelines it threatens"),
    )

    class Meta:
        model = Hazard
        fields = ["name", "kind", "description", "lifelines"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CriticalFunctionForm(ModelForm):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Organization"))

    class Meta:
        model = CriticalFunction
        fields = ["organization", *FUNCTION_FIELDS, "recipient_organizations"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organizations, peers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if self.instance.pk:
            self.fields["organization"].disabled = True
        self.fields["recipient_organizations"].queryset = peers


class AssessmentForm(ModelForm):
    """One organization's judgement of one hazard; the critical functions offered are its own."""

    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Organization"))

    class Meta:
        model = HazardAssessment
        fields = ["organization", "hazard", *ASSESSMENT_FIELDS[:6], "critical_functions", *ASSESSMENT_FIELDS[6:],
                  "recipient_organizations"]  # fmt: skip
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "assessed_on": forms.DateInput(attrs={"type": "date"}),
            "critical_functions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organizations, hazards, functions, peers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["hazard"].queryset = hazards
        if self.instance.pk:
            self.fields["organization"].disabled = True
            self.fields["hazard"].disabled = True
        self.fields["critical_functions"].queryset = functions
        self.fields["recipient_organizations"].queryset = peers
