from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from commonground.accounts.widgets import KeptSelect
from commonground.core.forms import Form, ModelForm, PlaceFormMixin
from commonground.core.timezones import time_zone_names

from .models import Community
from .services import COMMUNITY_FIELDS


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in time_zone_names()]


class CommunityForm(PlaceFormMixin, ModelForm):
    place_fields = ("center_latitude", "center_longitude")
    place_label = _("Centre (a place)")

    class Meta:
        model = Community
        fields = list(COMMUNITY_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            # The model's validator refuses a name that is not listed, with its own message. The long, fixed
            # lists are kept once drawn: six hundred zones through the option template were most of the page.
            "time_zone": KeptSelect(choices=time_zone_choices),
            "state": KeptSelect,
            "kind": KeptSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's default is a function (the setting's zone): Django would add a hidden copy of it.
        self.fields["time_zone"].show_hidden_initial = False
        for name in ("kind", "state", "time_zone"):  # `core.forms` classes Django's own selects alone
            self.fields[name].widget.attrs["class"] = "usa-select"


class CommunityEditForm(CommunityForm):
    class Meta(CommunityForm.Meta):
        fields = [name for name in COMMUNITY_FIELDS if name != "slug"]  # the address does not change


class CoChairForm(Form):
    # People are the registry's, an app above this one: named as the co-chair's foreign key names them.
    person = forms.ModelChoiceField(
        queryset=apps.get_model("registry", "Person").objects.none(), label=_("Leader")
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            apps.get_model("registry", "Person")
            .objects.filter(organization__memberships__community=community)
            .exclude(cochair_roles__community=community)
            .select_related("organization")
            .order_by("organization__name", "last_name")
        )
        self.fields["person"].label_from_instance = lambda p: (
            f"{p} — {p.organization} ({p.organization.get_sector_display()})"
        )
