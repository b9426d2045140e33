from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import ModelForm

from .choices import Lifeline
from .models import Hazard


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
