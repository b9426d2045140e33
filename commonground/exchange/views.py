"""The import page, its background job's progress page, and the export downloads, for every registered kind."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from commonground.communities.mixins import CommunityMixin, PermissionRequiredMixin
from commonground.communities.permissions import can_import
from commonground.core.exchange import IMPORTERS, LISTED_AT, render
from commonground.core.models import ImportJob
from commonground.core.tlp import mark_response

from .forms import ImportForm
from .selectors import NoSuchExport, export_build
from .tasks import import_run

# Kept from when the page lived in the registry, so that a ticket signed before an upgrade still holds.
IMPORT_SIGNER_SALT = "commonground.registry.import-upload"


def import_ticket(*, stored: str, kind: str, original_name: str, community_id: int) -> str:
    """Sign what the confirm button names, so that only a checked file of this table is written."""
    return signing.dumps(
        {"f": stored, "k": kind, "n": original_name, "c": community_id}, salt=IMPORT_SIGNER_SALT
    )


class ImportMixin(CommunityMixin, PermissionRequiredMixin):
    permission = staticmethod(can_import)
    denied = gettext_lazy("Only co-chairs and facilitators import files into the table.")


class ImportView(ImportMixin, FormView):
    """Upload a CSV or XLSX file, see the dry run's report, then confirm to write it.

    A file over IMPORT_BACKGROUND_BYTES is checked and written by a background task, and the page
    follows its progress instead of keeping the request open.
    """

    template_name = "exchange/import.html"
    form_class = ImportForm
    step = 2

    def get_context_data(self, **kwargs):
        importers = {kind: importer.columns for kind, importer in IMPORTERS.items()}
        return super().get_context_data(
            importers=importers,
            max_mb=f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}",
            max_rows=f"{settings.IMPORT_MAX_ROWS:,}",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self.confirm(request.POST["confirm"])
        return super().post(request, *args, **kwargs)

    def _run(self, kind: str, path: Path, original_name: str, dry_run: bool):
        importer = IMPORTERS[kind](actor=self.request.user, community=self.community)
        with path.open("rb") as stream:
            return importer.run(stream, original_name, dry_run=dry_run)

    def _in_background(self, kind: str, path: Path, original_name: str, dry_run: bool):
        job = ImportJob.objects.create(
            actor=self.request.user,
            community_id=self.community.pk,
            kind=kind,
            file=path.name,
            original_name=original_name,
            dry_run=dry_run,
        )
        import_run.enqueue(job.pk)
        return redirect("exchange:import-job", slug=self.community.slug, pk=job.pk)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        folder = Path(settings.IMPORT_UPLOAD_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        suffix = upload.name.rsplit(".", 1)[-1].lower()
        stored = folder / f"{uuid.uuid4().hex}.{suffix}"
        with stored.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        kind = form.cleaned_data["kind"]
        if upload.size > settings.IMPORT_BACKGROUND_BYTES:
            return self._in_background(kind, stored, upload.name, dry_run=True)
        report = self._run(kind, stored, upload.name, dry_run=True)
        ticket = None
        if report.ok:
            ticket = import_ticket(
                stored=stored.name, kind=kind, original_name=upload.name, community_id=self.community.pk
            )
        else:
            stored.unlink(missing_ok=True)
        return self.render_to_response(
            self.get_context_data(form=form, report=report, ticket=ticket, filename=upload.name)
        )

    def confirm(self, ticket: str):
        try:
            data = signing.loads(ticket, salt=IMPORT_SIGNER_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(self.request, _("That import has expired; upload the file again."))
            return redirect("exchange:import", slug=self.community.slug)
        stored = Path(settings.IMPORT_UPLOAD_DIR) / Path(data["f"]).name
        if data["c"] != self.community.pk or data["k"] not in IMPORTERS or not stored.exists():
            messages.error(self.request, _("That import has expired; upload the file again."))
            return redirect("exchange:import", slug=self.community.slug)
        if stored.stat().st_size > settings.IMPORT_BACKGROUND_BYTES:
            return self._in_background(data["k"], stored, data["n"], dry_run=False)
        # No transaction around it: the importer keeps its write transactions short itself.
        report = self._run(data["k"], stored, data["n"], dry_run=False)
        stored.unlink(missing_ok=True)
        if report.ok:
            messages.success(self.request, report.summary())
            return redirect(LISTED_AT[data["k"]], slug=self.community.slug)
        return self.render_to_response(self.get_context_data(report=report, filename=data["n"]))


class ImportJobView(ImportMixin, TemplateView):
    """Follow an import running in the background: rows read, errors, and at the end its report."""

    template_name = "exchange/import_job.html"
    step = 2

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["exchange/_import_job.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        job = get_object_or_404(ImportJob, pk=self.kwargs["pk"], community_id=self.community.pk)
        ticket = None
        if job.finished and job.dry_run and job.report.get("ok"):
            ticket = import_ticket(
                stored=job.file,
                kind=job.kind,
                original_name=job.original_name,
                community_id=self.community.pk,
            )
        return super().get_context_data(job=job, report=job.report, ticket=ticket, **kwargs)


class ExportView(CommunityMixin, TemplateView):
    """Download one registered export of the table, TLP applied for the reader."""

    content_types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }

    def get(self, request, *args, **kwargs):
        kind, fmt = kwargs["kind"], kwargs["fmt"]
        if fmt not in self.content_types:
            raise Http404
        try:
            export = export_build(viewer=self.viewer, kind=kind, community=self.community)
        except NoSuchExport as error:
            raise Http404(str(error)) from None
        content, _count = render(export, fmt)
        marking = export.marking.replace(":", "-").replace("+", "-")
        response = HttpResponse(content, content_type=self.content_types[fmt])
        response["Content-Disposition"] = (
            f'attachment; filename="{self.community.slug}-{kind}-{marking}.{fmt}"'
        )
        return mark_response(response, export.marking)
