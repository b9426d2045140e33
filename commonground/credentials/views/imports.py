"""The import of nominations by an organization's admin: the exchange app's import page, for this one kind."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.exchange.forms import ImportForm
from commonground.exchange.views import IMPORT_SIGNER_SALT, ImportView

from ..imports import NominationImporter
from .enrolment import EnrolMixin


class NominationImportForm(ImportForm):
    kind = forms.CharField(widget=forms.HiddenInput, initial=NominationImporter.kind, required=False)

    def clean_kind(self):
        return NominationImporter.kind

    def clean_file(self):
        upload = super().clean_file()
        # The page checks and writes a nominations file at once: the background job's page is the co-chairs'.
        if upload.size > settings.IMPORT_BACKGROUND_BYTES:
            raise forms.ValidationError(
                _("A file of nominations may be up to %(mb)s MB; split it into smaller files.")
                % {"mb": f"{settings.IMPORT_BACKGROUND_BYTES / 1024 / 1024:g}"}
            )
        return upload


class NominationImportView(EnrolMixin, ImportView):
    """Upload a CSV or XLSX file of nominations, see the dry run's report, then confirm to write it."""

    template_name = "credentials/nomination_import.html"
    form_class = NominationImportForm
    step = None
    denied = gettext_lazy("Only organization admins and co-chairs nominate employees.")

    def _run(self, kind, path, original_name, dry_run):
        # Checked and written within the request, a row at a time through the service: a compressed workbook of
        # a megabyte could hold 75,000 rows, so the rows are counted too.
        importer = NominationImporter(actor=self.request.user, community=self.community)
        with path.open("rb") as stream:
            return importer.run(
                stream, original_name, dry_run=dry_run, max_rows=settings.NOMINATION_IMPORT_MAX_ROWS
            )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = NominationImporter.columns
        return context

    def confirm(self, ticket: str):
        try:
            data = signing.loads(ticket, salt=IMPORT_SIGNER_SALT, max_age=3600)
        except signing.BadSignature:
            data = {}
        stored = Path(settings.IMPORT_UPLOAD_DIR) / Path(str(data.get("f", ""))).name
        if (
            data.get("k") != NominationImporter.kind
            or data.get("c") != self.community.pk
            or not stored.is_file()
        ):
            messages.error(self.request, _("That import has expired; upload the file again."))
            return redirect("credentials:nomination_import", slug=self.community.slug)
        return super().confirm(ticket)
