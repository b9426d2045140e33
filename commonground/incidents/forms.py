"""The forms of the incident pages: open and change an incident, request resources, report, plan a period.

A form checks what a person typed; the services check the rules (who may, which state, a needed-by still to
come) and their errors land on the same fields.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import Form, ModelForm, PlaceFormMixin
from commonground.core.tlp import ORGANIZATION_MARKINGS, TLP
from commonground.registry.models import Organization
from commonground.resources.choices import SharingTerms

from .choices import IncidentStatus
from .models import Incident, OperationalPeriod, ResourceRequest
from .models.incidents import MAX_RADIUS_KM
from .services.incidents import INCIDENT_FIELDS, PERIOD_FIELDS
from .services.requests import REQUEST_FIELDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


OPEN_STATUS_CHOICES = [(s.value, s.label) for s in IncidentStatus if s != IncidentStatus.CLOSED]
AREA_HELP = {
    "latitude": _("The centre of the area (decimal degrees, e.g. 42.7325). Or draw the area on the map."),
    "longitude": _("Decimal degrees, e.g. -84.5555."),
    "radius_km": _("How far the area reaches from its centre, at most %(max)s km.") % {"max": MAX_RADIUS_KM},
    "polygon": _(
        'A GeoJSON Polygon, filled in when you draw on the map: {"type": "Polygon", "coordinates": '
        "[[[longitude, latitude], ...]]}, its last point repeating the first. Leave empty for a point and "
        "a radius."
    ),
}


class IncidentForm(PlaceFormMixin, ModelForm):
    """Open an incident, in the name of an organization the viewer may open it for (chosen from `organizations`)."""

    place_label = _("Centre of the area (a place)")
    place_map = False  # the page's own map places the point

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Opened in the name of"),
        help_text=_("The organization that leads the incident with the co-chairs."),
    )  # fmt: skip
    polygon = forms.JSONField(
        label=_("Area polygon (GeoJSON)"), required=False, help_text=AREA_HELP["polygon"],
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )  # fmt: skip

    class Meta:
        model = Incident
        fields = [
            "organization", "hazard", "title", "description", "is_exercise", "status", "started_at",
            "latitude", "longitude", "radius_km", "polygon", "area_description", "urgency", "severity",
            "certainty", "tlp", "recipient_organizations",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "started_at": datetime_input(),
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
            "radius_km": forms.NumberInput(attrs={"step": "any"}),
        }
        help_texts = {name: text for name, text in AREA_HELP.items() if name != "polygon"}

    def __init__(self, *args, organizations, hazards, peers, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.fields:
            self.fields["organization"].queryset = organizations
        self.fields["hazard"].queryset = hazards
        self.fields["recipient_organizations"].queryset = peers
        self.fields["status"].choices = OPEN_STATUS_CHOICES
        self.fields["tlp"].choices = ORGANIZATION_MARKINGS
        if not self.instance.pk:
            self.fields["tlp"].initial = TLP.AMBER
            self.fields["started_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_radius_km(self):
        radius = self.cleaned_data.get("radius_km")
        if radius is not None and radius > MAX_RADIUS_KM:
            raise forms.ValidationError(
                _("An incident's area reaches at most %(max)s km from its centre: a county's or a region's."),
                code="max_value",
                params={"max": MAX_RADIUS_KM},
            )
        return radius

    def service_data(self) -> dict:
        """Return the cleaned values the open service takes (the organization and hazard aside)."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k in INCIDENT_FIELDS or k == "recipient_organizations"
        }
        data.pop("hazard", None)
        data.pop("title", None)
        return data


class IncidentEditForm(IncidentForm):
    """Change an open incident: everything but the organization that opened it."""

    class Meta(IncidentForm.Meta):
        fields = [name for name in IncidentForm.Meta.fields if name != "organization"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, organizations=Organization.objects.none(), **kwargs)
        self.fields.pop("organization", None)


# The board's forms as they show before anything is typed, by form, language and what else they show.
KEPT_RENDERINGS: dict[tuple, str] = {}
KEPT_AT_MOST = 256


class KeptRendering:
    """A form whose blank rendering is kept: the board shows the same three forms to every reader, and rendering
    the report form's list of organizations was a fifth of the board's CPU. What the form shows besides its
    fields' own words is in `rendering_key` (the list of organizations); the language is in the key."""

    def rendering_key(self) -> tuple:
        return ()

    def render(self, template_name=None, context=None, renderer=None):
        if self.is_bound or template_name or context or renderer:
            return super().render(template_name, context, renderer)
        key = (type(self), get_language(), self.rendering_key())
        html = KEPT_RENDERINGS.get(key)
        if html is None:
            html = super().render()
            if len(KEPT_RENDERINGS) >= KEPT_AT_MOST:
                KEPT_RENDERINGS.clear()
            KEPT_RENDERINGS[key] = html
        return html

    __str__ = render  # as Django's forms name their own
    __html__ = render


class CloseForm(KeptRendering, Form):
    note = forms.CharField(
        label=_("Closing note"), required=False, max_length=500,
        help_text=_("What the partnership is told as the incident closes (optional)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class PeriodForm(KeptRendering, ModelForm):
    prefix = "period"

    class Meta:
        model = OperationalPeriod
        fields = list(PERIOD_FIELDS)
        widgets = {
            "starts_at": datetime_input(),
            "ends_at": datetime_input(),
            "objectives": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"objectives": _("The incident objectives of this period, one a line.")}


class SitrepForm(KeptRendering, Form):
    """A situation report, posted under its own marking."""

    prefix = "sitrep"
    text = forms.CharField(
        label=_("Situation report"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you see, what you do, what you need."),
    )  # fmt: skip
    tlp = forms.ChoiceField(label=_("Marking"), choices=ORGANIZATION_MARKINGS)
    recipient_organizations = forms.ModelMultipleChoiceField(
        label=_("Recipient organizations"), queryset=Organization.objects.none(), required=False,
        help_text=_("For TLP:AMBER and TLP:AMBER+STRICT: organizations named to see it."),
    )  # fmt: skip

    def __init__(self, *args, peers, marking=TLP.AMBER, offered: tuple | None = None, **kwargs):
        """`offered`: the (key, name) pairs of `peers`, where the caller has read them already (the board)."""
        super().__init__(*args, **kwargs)
        self.fields["recipient_organizations"].queryset = peers
        self.fields["tlp"].initial = marking
        self.offered = offered

    def rendering_key(self) -> tuple:
        """The marking first offered and the organizations offered: an organization's label is its name."""
        peers = self.fields["recipient_organizations"].queryset
        offered = self.offered if self.offered is not None else tuple(peers.values_list("pk", "name"))
        return (self.fields["tlp"].initial, offered)


class RequestForm(PlaceFormMixin, ModelForm):
    """An ICS-213RR resource request, for an organization the viewer may request for."""

    place_label = _("Where to deliver (a place)")
    place_map = False  # the page's own map places the point

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Requesting organization")
    )
    accepted_terms = forms.MultipleChoiceField(
        label=_("Terms accepted"), choices=SharingTerms.choices, widget=forms.CheckboxSelectMultiple,
        initial=list(SharingTerms.values),
        help_text=_("The sharing terms you accept: a resource offered on other terms is not proposed."),
    )  # fmt: skip
    # The model's bounds, said again so that an absurd number is a field error before the service is asked.
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000)

    class Meta:
        model = ResourceRequest
        fields = ["organization", *REQUEST_FIELDS]
        widgets = {
            "needed_by": datetime_input(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
        }
        help_texts = {
            "latitude": _(
                "Where to deliver: pick the place on the map, type it, or give a ZIP code instead."
            ),
            "zip_code": _("Used when no point is given: the delivery goes to the ZIP code's centre."),
            "location": _("A name or address the drivers will recognize."),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if self.instance.pk:
            self.fields["organization"].disabled = True
            self.fields["accepted_terms"].initial = self.instance.accepted_terms

    def service_data(self, changed_only: bool = False) -> dict:
        names = self.changed_data if changed_only else self.cleaned_data
        return {k: self.cleaned_data[k] for k in names if k in REQUEST_FIELDS}


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
