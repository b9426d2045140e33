from functools import partial

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core import widgets
from commonground.core.forms import LabelsOnlyIterator, ModelForm, PlaceFormMixin, choice_records, labels_only
from commonground.registry.models import Organization

from .documents import check_document
from .models import Agreement, Resource
from .services import RESOURCE_FIELDS


class ResourceForm(PlaceFormMixin, ModelForm):
    """A resource, for an organization the viewer may record for (chosen from `organizations`)."""

    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Organization"))

    class Meta:
        model = Resource
        fields = ["organization", *RESOURCE_FIELDS, "recipient_organizations", "recipient_people"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "verified_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"latitude": _("Leave blank to place the resource at its ZIP code's centre.")}

    def __init__(self, *args, organizations, people, peers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if self.instance.pk:
            self.fields["organization"].disabled = True
        read: list = []  # the people, once read: the three selects offer the same
        for name in ("person", "contact", "recipient_people"):
            field = self.fields[name]
            field.queryset = people
            field.iterator = partial(SharedChoiceIterator, read=read)
            field.widget.choices = field.choices
        self.fields["recipient_organizations"].queryset = peers
        for field in self.fields.values():
            drawn = DRAWN_IN_PYTHON.get(type(field.widget))
            if drawn is not None:  # the form's own copy of the widget: the subclass adds only `render`
                field.widget.__class__ = drawn
            if field.show_hidden_initial:
                field.hidden_widget = widgets.HiddenInput


# The widgets of this form that `core.forms` leaves to Django's templates (its text area, date and checkbox, the
# place's text input, the date's hidden initial value), drawn in Python: the same HTML (`core.tests.test_widgets`)
# without the template engine, which drew them in a tenth of the edit page's time.
DRAWN_IN_PYTHON = {
    forms.Textarea: widgets.Textarea,
    forms.DateInput: widgets.DateInput,
    forms.CheckboxInput: widgets.CheckboxInput,
    forms.TextInput: widgets.TextInput,
}


class SharedChoiceIterator(LabelsOnlyIterator):
    """The choices of records that several selects of a form offer alike (the same queryset, labelled alike),
    read once for all of them into `read`: the resource form ran the same query of people for three selects."""

    def __init__(self, field, *, read: list):
        super().__init__(field)
        self.read = read

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if not self.read:
            self.read.append(list(choice_records(self.field, labels_only(self.queryset, self.field))))
        for record in self.read[0]:
            yield self.choice(record)


class StoredFile:
    """A stored file as a form shows it: its name, and the page that lets only its readers download it."""

    def __init__(self, name: str, url: str):
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name.rsplit("/", 1)[-1]


class DocumentInput(forms.ClearableFileInput):
    """A file input whose "Currently" link is the download page, never the file's storage address."""

    download_url = ""

    def format_value(self, value):
        if self.is_initial(value) and self.download_url:
            return StoredFile(value.name, self.download_url)
        return super().format_value(value)


class AgreementForm(ModelForm):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Recorded by"))

    class Meta:
        model = Agreement
        fields = ["organization", "title", "kind", "parties", "resources", "terms", "starts_on", "ends_on",
                  "document", "tlp", "recipient_organizations"]  # fmt: skip
        widgets = {
            "terms": forms.Textarea(attrs={"rows": 4}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "document": DocumentInput,
        }

    def __init__(self, *args, organizations, peers, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if self.instance.pk:
            self.fields["organization"].disabled = True
            self.fields["document"].widget.download_url = reverse(
                "resources:agreement_document", args=[self.instance.pk]
            )
        self.fields["parties"].queryset = peers
        self.fields["recipient_organizations"].queryset = peers
        self.fields["resources"].queryset = resources

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "size") and not getattr(document, "_committed", False):
            try:
                check_document(
                    document, settings.AGREEMENT_DOCUMENT_MAX_BYTES, settings.AGREEMENT_DOCUMENT_TYPES
                )
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return document
