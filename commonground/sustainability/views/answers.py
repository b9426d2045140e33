"""Answering the needs assessment one mission area at a time: each area saved as a draft, the whole submitted once.

A questionnaire of sixty items on one page hid its errors thousands of pixels below the button; an area is a
page a phone can hold, and the progress list says what is left.
"""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.core.views import ServiceFormView
from commonground.registry.selectors import organizations_acted_for

from .. import selectors, services
from ..forms import AnswerSheetForm, AnswerSubmitForm
from ..models import NeedsAnswer
from ..permissions import can_answer_any
from .needs import AssessmentMixin


class AnsweringMixin(AssessmentMixin):
    """The organization answered for (chosen by `?organization=`, one the viewer may answer for) and how far
    it got, area by area."""

    def dispatch(self, request, *args, **kwargs):
        if not can_answer_any(self.viewer, self.community):
            raise PermissionDenied(_("Only organization admins and co-chairs answer."))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def organizations(self):
        return organizations_acted_for(viewer=self.viewer, community=self.community)

    @cached_property
    def organization(self):
        wanted = self.request.POST.get("organization") or self.request.GET.get("organization")
        wanted = wanted or self.viewer.organization_id
        chosen = self.organizations.filter(pk=int(wanted)).first() if str(wanted).isdigit() else None
        return chosen or self.organizations.first()

    @cached_property
    def answers(self) -> list[NeedsAnswer]:
        """The organization's answers the viewer may see, its drafts among them."""
        if self.organization is None:
            return []
        return list(
            NeedsAnswer.objects.visible_to(self.viewer).filter(
                item__assessment=self.assessment, organization=self.organization
            )
        )

    @cached_property
    def areas(self):
        return selectors.area_progress(self.assessment, self.answers)

    def answer_url(self, area: str | None = None) -> str:
        if area is None:
            url = reverse("sustainability:answer", args=[self.assessment.pk])
        else:
            url = reverse("sustainability:answer_area", args=[self.assessment.pk, area])
        return f"{url}?organization={self.organization.pk}" if self.organization else url

    def get_context_data(self, **kwargs):
        areas = [(area, self.answer_url(area.mission_area)) for area in self.areas]
        return super().get_context_data(
            organization=self.organization, organizations=self.organizations, areas=areas,
            overview_url=self.answer_url(), **kwargs,
        )  # fmt: skip


class AnswerView(AnsweringMixin, ServiceFormView):
    """The progress list of the mission areas, and the one button that submits them all."""

    template_name = "sustainability/answer_overview.html"
    form_class = AnswerSubmitForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organizations": self.organizations, "areas": self.areas}

    def get_initial(self):
        return {"organization": self.organization.pk if self.organization else None}

    def get_context_data(self, **kwargs):
        drafts = sum(area.drafts for area in self.areas)
        return super().get_context_data(drafts=drafts, submitted=bool(self.answers) and not drafts, **kwargs)

    def service_call(self, form):
        services.needs_answers_submit(
            actor=self.request.user,
            assessment=self.assessment,
            organization=form.cleaned_data["organization"],
        )
        return self.assessment

    def get_success_message(self, record) -> str:
        return _("Your organization's answers are submitted; you may change them until it closes.")


class AnswerAreaView(AnsweringMixin, ServiceFormView):
    """One mission area's questions, saved as a draft; then on to the next area not yet answered."""

    template_name = "sustainability/answer_form.html"
    form_class = AnswerSheetForm

    @cached_property
    def area(self):
        area = next((a for a in self.areas if a.mission_area == self.kwargs["area"]), None)
        if area is None:
            raise Http404(_("This assessment asks nothing in that mission area."))
        return area

    def get_form_kwargs(self):
        items = self.assessment.items.filter(mission_area=self.area.mission_area)
        return {**super().get_form_kwargs(), "items": items, "organizations": self.organizations}

    def get_initial(self):
        initial = {"organization": self.organization.pk if self.organization else None}
        for answer in self.answers:
            for name in ("level", "importance", "poete", "comment"):
                initial[f"item_{answer.item_id}_{name}"] = getattr(answer, name)
            initial["tlp"] = answer.tlp
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(area=self.area, **kwargs)

    def service_call(self, form):
        self.organization = form.cleaned_data["organization"]
        services.needs_answers_save(
            actor=self.request.user, assessment=self.assessment, organization=self.organization,
            answers=form.answers(), tlp=form.cleaned_data["tlp"], draft=True,
        )  # fmt: skip
        return self.assessment

    def get_success_message(self, record) -> str:
        return _(
            "%(area)s is saved as a draft: nobody else sees it, and it counts nowhere until you submit."
        ) % {"area": self.area.label}

    def get_success_url(self):
        order = [area.mission_area for area in self.areas]
        after = order[order.index(self.area.mission_area) + 1 :]
        done = set(
            NeedsAnswer.objects.visible_to(self.viewer)
            .filter(item__assessment=self.assessment, organization=self.organization)
            .values_list("item__mission_area", flat=True)
        )
        following = next((code for code in after if code not in done), None)
        return self.answer_url(following)
