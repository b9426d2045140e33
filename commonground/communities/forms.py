from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import Form, ModelForm

from .models import Community
from .services import COMMUNITY_FIELDS


class CommunityForm(ModelForm):
    class Meta:
        model = Community
        fields = list(COMMUNITY_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


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
