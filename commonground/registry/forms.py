from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import Form, ModelForm, PlaceFormMixin

from .choices import CATEGORY_CHOICES
from .models import Invitation, Organization, Person
from .services.organizations import ORGANIZATION_FIELDS


class OrganizationForm(PlaceFormMixin, ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Organization
        fields = list(ORGANIZATION_FIELDS)
        help_texts = {"latitude": _("Leave blank to place the organization at its ZIP code's centre.")}


class PersonForm(ModelForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "title", "role", "email", "phone", "mobile", "contact_tlp"]

    def __init__(self, *args, contact_visible: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Contact details the reader may not see are neither shown nor pre-filled, so saving keeps them.
        self.contact_visible = contact_visible
        if not contact_visible:
            for name in Person.TLPOptions.marked_fields:
                del self.fields[name]


class InvitationForm(ModelForm):
    class Meta:
        model = Invitation
        fields = [
            "name",
            "email",
            "organization",
            "organization_name",
            "suggested_category",
            "as_cochair",
            "message",
        ]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, community, can_manage, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.in_community(community)
        if not can_manage:
            organizations = organizations.filter(pk=viewer.organization_id)
            del self.fields["as_cochair"]
        self.fields["organization"].queryset = organizations
        self.fields["organization"].required = False
        self.fields["organization"].empty_label = _("— a new organization (name it below) —")


class AcceptInvitationForm(Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    username = forms.RegexField(label=_("Username"), regex=r"^[\w.@+-]+\Z", max_length=150)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, help_text=_("At least 10 characters.")
    )


class NewOrganizationForm(OrganizationForm):
    """The invitee's organization, when it is new to the table."""

    prefix = "org"

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(
            *args,
            initial={"name": invitation.organization_name, "category": invitation.suggested_category},
            **kwargs,
        )
        self.fields["category"].choices = CATEGORY_CHOICES
