"""Pages of the workshops, exercises and meetings, and of an exercise's after-action report."""

from functools import cached_property

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin, PermissionRequiredMixin
from commonground.core.views import ServiceFormView
from commonground.registry.models import Organization, Person
from commonground.risks.models import Hazard

from .. import selectors, services
from ..choices import MeetingKind, ObservationKind
from ..forms import AttendanceForm, CorrectiveActionForm, MeetingForm, ObjectiveForm, ObservationForm
from ..models import ExerciseObjective, Goal, Meeting, Observation
from ..permissions import can_plan, can_run_meetings
from .plan import PlanMixin

SERIES = [MeetingKind.OVERVIEW, MeetingKind.KICKOFF, MeetingKind.STATUS, MeetingKind.TABLETOP]


class MeetingListView(CommunityMixin, TemplateView):
    """The workshop series, the exercises and the partnership's meetings, with attendance over time."""

    template_name = "sustainability/meeting_list.html"
    step = 6

    def get_context_data(self, **kwargs):
        meetings = list(selectors.meeting_list(viewer=self.viewer, community=self.community))
        held = {m.kind for m in meetings if m.is_past}
        return super().get_context_data(
            upcoming=[m for m in meetings if not m.is_past],
            past=[m for m in reversed(meetings) if m.is_past],
            series=[(kind, MeetingKind(kind).label, kind in held) for kind in SERIES],
            attendance=selectors.attendance_over_time(self.community),
            can_run_meetings=can_run_meetings(self.viewer, self.community),
            **kwargs,
        )


class MeetingMixin(CommunityMixin):
    step = 6

    @cached_property
    def meeting(self) -> Meeting:
        return selectors.meeting_detail(viewer=self.viewer, pk=self.kwargs["pk"])

    @cached_property
    def community(self):
        return self.meeting.community

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class MeetingDetailView(MeetingMixin, TemplateView):
    """A meeting: agenda and attendance; for a tabletop exercise, its scenario and after-action report."""

    template_name = "sustainability/meeting_detail.html"

    def get_context_data(self, **kwargs):
        observations = list(self.meeting.observations.all())
        return super().get_context_data(
            by_sector=selectors.participants_by_sector(self.meeting),
            strengths=[o for o in observations if o.kind == ObservationKind.STRENGTH],
            improvements=[o for o in observations if o.kind == ObservationKind.IMPROVEMENT],
            can_run_meetings=can_run_meetings(self.viewer, self.community),
            can_plan=can_plan(self.viewer, self.community),
            objective_form=ObjectiveForm(),
            observation_form=ObservationForm(objectives=self.meeting.objectives.all()),
            **kwargs,
        )


class MeetingRunnerMixin(CommunityMixin, PermissionRequiredMixin):
    """A page that plans a meeting, records who came or writes its after-action report."""

    step = 6
    permission = staticmethod(can_run_meetings)
    denied = gettext_lazy(
        "Only co-chairs and facilitators plan workshops and meetings, record who came to the meetings "
        "and write their after-action reports."
    )


class MeetingFormMixin(MeetingRunnerMixin):
    template_name = "sustainability/meeting_form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "hazards": Hazard.objects.for_community(self.community)}


class MeetingCreateView(MeetingFormMixin, ServiceFormView):
    success_message = gettext_lazy("It is on the calendar.")

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", "")}

    def service_call(self, form):
        return services.meeting_create(actor=self.request.user, community=self.community, **form.cleaned_data)


class MeetingEditView(MeetingMixin, MeetingFormMixin, ServiceFormView):
    success_message = gettext_lazy("Saved.")

    def get_instance(self):
        return self.meeting

    def service_call(self, form):
        services.meeting_update(actor=self.request.user, meeting=self.meeting, data=form.cleaned_data)
        return self.meeting


class MeetingDeleteView(MeetingMixin, MeetingRunnerMixin, View):
    def post(self, request, *args, **kwargs):
        services.meeting_delete(actor=request.user, meeting=self.meeting)
        messages.success(request, _("It is off the calendar."))
        return redirect("sustainability:meetings", self.community.slug)


class AttendanceView(MeetingMixin, MeetingRunnerMixin, ServiceFormView):
    """Record how many people of each organization at the table came."""

    template_name = "sustainability/attendance_form.html"
    form_class = AttendanceForm

    @cached_property
    def meeting(self) -> Meeting:
        return selectors.meeting_attendance(viewer=self.viewer, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        present = {row.organization_id: row.people for row in self.meeting.attendance.all()}
        organizations = Organization.objects.in_community(self.community).order_by("name", "pk")
        return {**super().get_form_kwargs(), "organizations": organizations, "present": present}

    success_message = gettext_lazy("Attendance recorded.")

    def service_call(self, form):
        services.attendance_record(
            actor=self.request.user, meeting=self.meeting, attendance=form.attendance()
        )
        return self.meeting


class ReportFormView(MeetingMixin, MeetingRunnerMixin, ServiceFormView):
    """A part of an exercise's after-action report, posted from the exercise's page."""

    template_name = "sustainability/report_form.html"
    success_message = gettext_lazy("Added to the after-action report.")

    def service_call(self, form):
        self.save(form.cleaned_data)
        return self.meeting


class ObjectiveCreateView(ReportFormView):
    form_class = ObjectiveForm
    heading = _("Add an objective")

    def save(self, data):
        services.objective_create(actor=self.request.user, meeting=self.meeting, **data)


class ObservationCreateView(ReportFormView):
    form_class = ObservationForm
    heading = _("Add an observation")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "objectives": self.meeting.objectives.all()}

    def save(self, data):
        services.observation_create(actor=self.request.user, meeting=self.meeting, **data)


class ReportItemDeleteView(MeetingMixin, MeetingRunnerMixin, View):
    """Take an objective or an observation out of the report."""

    model = None
    service = None
    argument = ""

    @cached_property
    def item(self):
        return get_object_or_404(self.model.objects.select_related("meeting"), pk=self.kwargs["item"])

    @cached_property
    def meeting(self) -> Meeting:
        return selectors.meeting_detail(viewer=self.viewer, pk=self.item.meeting_id)

    def post(self, request, *args, **kwargs):
        getattr(services, self.service)(actor=request.user, **{self.argument: self.item})
        messages.success(request, _("Removed."))
        return redirect(self.meeting.get_absolute_url())


class ObjectiveDeleteView(ReportItemDeleteView):
    model = ExerciseObjective
    service = "objective_delete"
    argument = "objective"


class ObservationDeleteView(ReportItemDeleteView):
    model = Observation
    service = "observation_delete"
    argument = "observation"


class CorrectiveActionCreateView(MeetingMixin, PlanMixin, ServiceFormView):
    """Answer an area for improvement with a corrective action, which becomes a task."""

    denied = gettext_lazy("Only co-chairs assign corrective actions: each one is a task they hand out.")

    template_name = "sustainability/corrective_action_form.html"
    form_class = CorrectiveActionForm

    @cached_property
    def observation(self) -> Observation:
        return get_object_or_404(Observation.objects.select_related("meeting"), pk=self.kwargs["item"])

    @cached_property
    def meeting(self) -> Meeting:
        return selectors.meeting_detail(viewer=self.viewer, pk=self.observation.meeting_id)

    def get_form_kwargs(self):
        organizations = Organization.objects.in_community(self.community)
        people = Person.objects.filter(organization__in=organizations.values("pk")).select_related(
            "organization"
        )
        goals = Goal.objects.filter(community=self.community)
        return {**super().get_form_kwargs(), "organizations": organizations, "people": people, "goals": goals}

    def get_context_data(self, **kwargs):
        return super().get_context_data(observation=self.observation, **kwargs)

    success_message = gettext_lazy("The corrective action is a task now.")

    def service_call(self, form):
        return services.corrective_action_create(
            actor=self.request.user, observation=self.observation, **form.cleaned_data
        )
