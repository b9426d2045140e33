from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commonground.core.exchange import IMPORTERS
from commonground.core.forms import Form
from commonground.core.tabular import FORMATS


def import_kinds() -> list[tuple[str, str]]:
    return [(kind, kind.title()) for kind in IMPORTERS]


class ImportForm(Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=import_kinds)
    file = forms.FileField(label=_("File (.csv or .xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in FORMATS:
            raise forms.ValidationError(_("The file must be .csv or .xlsx."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than %(mb)s MB, the most one import takes; split it into smaller files."
                )
                % {"mb": f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}"}
            )
        return upload
