"""The partnership plan: one printer-friendly page, and a PDF made from it."""

import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin

from ..plan_document import PLAN_ROWS, partnership_plan


class PartnershipPlanView(CommunityMixin, TemplateView):
    """The whole partnership as the reader may see it, marked at head and foot; `?format=pdf` for a PDF."""

    template_name = "sustainability/partnership_plan.html"
    step = 6

    def get_context_data(self, **kwargs):
        plan = partnership_plan(viewer=self.viewer, community=self.community)
        context = super().get_context_data(
            plan=plan,
            risks=plan.risk.ranked[:PLAN_ROWS],
            needs=plan.needs.ranked[:PLAN_ROWS] if plan.needs else [],
            rows=PLAN_ROWS,
            **kwargs,
        )
        context["tlp_marking"] = plan.marking
        return context

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") != "pdf":
            return super().get(request, *args, **kwargs)
        return pdf_response(
            render_to_string(
                self.template_name, {**self.get_context_data(**kwargs), "pdf": True}, request=request
            ),
            filename=f"{self.community.slug}-partnership-plan.pdf",
        )


def pdf_response(html: str, *, filename: str) -> HttpResponse:
    """Turn a page written for paper into a PDF (xhtml2pdf: pure Python, nothing to install beside it)."""
    from xhtml2pdf import pisa

    buffer = io.BytesIO()
    result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8")
    if result.err:
        return HttpResponse(_("The PDF could not be made; print the page instead."), status=503)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
