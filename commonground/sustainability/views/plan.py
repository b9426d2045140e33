"""Pages of the goals set against the needs and the tasks that carry them out."""

from functools import cached_property

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin, PermissionRequiredMixin
from commonground.core.views import ServiceFormView
from commonground.registry.models import Organization, Person

from .. import selectors, services
from ..choices import TaskStatus
from ..forms import GoalForm, ProgressForm, TaskForm
from ..models import Goal, NeedsItem, Task
from ..permissions import can_plan, can_report_progress


class GoalListView(CommunityMixin, TemplateView):
    """The partnership's goals, each with the needs it answers and its tasks (overdue ones flagged)."""

    template_name = "sustainability/goal_list.html"
    step = 6

    def get_context_data(self, **kwargs):
        goals = list(selectors.goal_list(viewer=self.viewer, community=self.community))
        tasks = [t for g in goals for t in g.tasks.all()]
        return super().get_context_data(
            goals=goals,
            counts={status: sum(t.status == status for t in tasks) for status in TaskStatus.values},
            overdue=sum(t.is_overdue for t in tasks),
            can_plan=can_plan(self.viewer, self.community),
            **kwargs,
        )


class PlanMixin(CommunityMixin, PermissionRequiredMixin):
    """A page that sets goals or hands out tasks."""

    step = 6
    permission = staticmethod(can_plan)
    denied = gettext_lazy("Only co-chairs set goals and hand out tasks.")


class GoalFormMixin(PlanMixin):
    template_name = "sustainability/goal_form.html"
    form_class = GoalForm

    def get_form_kwargs(self):
        needs = (
            NeedsItem.objects.visible_to(self.viewer)
            .filter(assessment__community=self.community)
            .select_related("assessment")
        )
        return {**super().get_form_kwargs(), "needs": needs}


class GoalCreateView(GoalFormMixin, ServiceFormView):
    success_message = gettext_lazy("The goal is set; hand out its tasks.")

    def service_call(self, form):
        return services.goal_create(actor=self.request.user, community=self.community, **form.cleaned_data)

    def get_success_url(self):
        return reverse("sustainability:goals", args=[self.community.slug])


class GoalMixin:
    """A page of the goal the address names, among those the viewer may see; its community is the goal's."""

    @cached_property
    def goal(self) -> Goal:
        return get_object_or_404(selectors.goal_list(viewer=self.viewer), pk=self.kwargs["pk"])

    @cached_property
    def community(self):
        return self.goal.community


class GoalEditView(GoalMixin, GoalFormMixin, ServiceFormView):
    success_message = gettext_lazy("Saved.")

    def get_instance(self):
        return self.goal

    def service_call(self, form):
        return services.goal_update(actor=self.request.user, goal=self.goal, data=form.cleaned_data)

    def get_success_url(self):
        return reverse("sustainability:goals", args=[self.community.slug])


class TaskFormMixin(PlanMixin):
    template_name = "sustainability/task_form.html"
    form_class = TaskForm

    def get_form_kwargs(self):
        organizations = Organization.objects.in_community(self.community)
        # Grouped by organization in the select (TaskForm): ordered by it, once each.
        people = (
            Person.objects.filter(organization__in=organizations.values("pk"))
            .select_related("organization")
            .order_by("organization__name", "organization_id", "last_name", "first_name", "pk")
        )
        return {**super().get_form_kwargs(), "organizations": organizations, "people": people}


class TaskCreateView(GoalMixin, TaskFormMixin, ServiceFormView):
    """Hand out a task toward a goal (?template= preselects one of the model's tasks)."""

    def get_initial(self):
        return {"template": self.request.GET.get("template", "")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(goal=self.goal, **kwargs)

    success_message = gettext_lazy("The task is handed out.")

    def service_call(self, form):
        return services.task_create(actor=self.request.user, goal=self.goal, **form.cleaned_data)


class TaskMixin(CommunityMixin):
    step = 6

    @cached_property
    def task(self) -> Task:
        return get_object_or_404(selectors.task_list(viewer=self.viewer), pk=self.kwargs["pk"])

    @cached_property
    def community(self):
        return self.task.goal.community


class TaskEditView(TaskMixin, TaskFormMixin, ServiceFormView):
    success_message = gettext_lazy("Saved.")

    def get_instance(self):
        return self.task

    def get_context_data(self, **kwargs):
        return super().get_context_data(goal=self.task.goal, **kwargs)

    def service_call(self, form):
        services.task_update(actor=self.request.user, task=self.task, data=form.cleaned_data)
        return self.task


class TaskDetailView(TaskMixin, ServiceFormView):
    """A task, its progress notes, and the form its owner reports progress with."""

    template_name = "sustainability/task_detail.html"
    form_class = ProgressForm

    def get_initial(self):
        return {"status": self.task.status}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            task=self.task,
            can_report=can_report_progress(self.viewer, self.task),
            can_plan=can_plan(self.viewer, self.community),
            **kwargs,
        )

    success_message = gettext_lazy("Progress recorded.")

    def service_call(self, form):
        services.task_progress(actor=self.request.user, task=self.task, **form.cleaned_data)
        return self.task
