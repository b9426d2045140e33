"""The program's forms: set-up, restricted area, facility, nomination, refusal or revocation, activation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import Form, ModelForm, PlaceFormMixin

from .choices import CredentialKind
from .models import Activation, Facility, Nomination, Program


class ProgramForm(ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of credential offered"),
        choices=CredentialKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Program
        fields = ["safety_organization", "kinds", "standard_days", "virtual_days", "orientation"]
        widgets = {"orientation": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["safety_organization"].queryset = organizations


class AreaForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    incident = forms.ModelChoiceField(
        label=_("Take an incident's area"), queryset=None, required=False,
        help_text=_("Or give a polygon below."),
    )  # fmt: skip
    polygon = forms.JSONField(
        label=_("Area polygon (GeoJSON)"), required=False,
        help_text=_('A GeoJSON Polygon: {"type": "Polygon", "coordinates": [[[longitude, latitude], ...]]}.'),
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def __init__(self, *args, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = incidents


class FacilityForm(PlaceFormMixin, ModelForm):
    class Meta:
        model = Facility
        fields = ["organization", "name", "address", "zip_code", "latitude", "longitude"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class NominationForm(ModelForm):
    class Meta:
        model = Nomination
        fields = [
            "organization", "kind", "person", "label", "facilities", "job_role", "reason", "reason_detail", "photo",
            "virtual_days",
        ]  # fmt: skip
        widgets = {
            "reason_detail": forms.Textarea(attrs={"rows": 3}),
            "facilities": forms.CheckboxSelectMultiple,
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args, organizations, people, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["person"].queryset = people
        self.fields["facilities"].queryset = facilities

    def clean_photo(self):
        # Django's ImageField has read the file already; the service checks its type and size again.
        return self.cleaned_data.get("photo")


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ActivationForm(ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds admitted"), choices=CredentialKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Activation
        fields = ["name", "area", "kinds", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
