"""Pages of the goals set against the needs and the tasks that carry them out."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.views import add_service_errors
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


class PlanMixin(CommunityMixin):
    step = 6

    def dispatch(self, request, *args, **kwargs):
        if not can_plan(self.viewer, self.community):
            raise PermissionDenied(_("Only co-chairs set goals and hand out tasks."))
        return super().dispatch(request, *args, **kwargs)


class GoalFormMixin(PlanMixin):
    template_name = "sustainability/goal_form.html"
    form_class = GoalForm

    def get_form_kwargs(self):
        needs = NeedsItem.objects.filter(assessment__community=self.community).select_related("assessment")
        return {**super().get_form_kwargs(), "needs": needs}


class GoalCreateView(GoalFormMixin, FormView):
    def form_valid(self, form):
        try:
            services.goal_create(actor=self.request.user, community=self.community, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The goal is set; hand out its tasks."))
        return redirect("sustainability:goals", self.community.slug)


class GoalEditView(GoalFormMixin, FormView):
    @cached_property
    def goal(self) -> Goal:
        return get_object_or_404(selectors.goal_list(viewer=self.viewer), pk=self.kwargs["pk"])

    @cached_property
    def community(self):
        return self.goal.community

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Goal.objects.get(pk=self.goal.pk)}

    def form_valid(self, form):
        try:
            services.goal_update(
                actor=self.request.user, goal=Goal.objects.get(pk=self.goal.pk), data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("sustainability:goals", self.community.slug)


class TaskFormMixin(PlanMixin):
    template_name = "sustainability/task_form.html"
    form_class = TaskForm

    def get_form_kwargs(self):
        organizations = Organization.objects.in_community(self.community)
        people = Person.objects.filter(organization__in=organizations.values("pk")).select_related(
            "organization"
        )
        return {**super().get_form_kwargs(), "organizations": organizations, "people": people}


class TaskCreateView(TaskFormMixin, FormView):
    """Hand out a task toward a goal (?template= preselects one of the model's tasks)."""

    @cached_property
    def goal(self) -> Goal:
        return get_object_or_404(selectors.goal_list(viewer=self.viewer), pk=self.kwargs["pk"])

    @cached_property
    def community(self):
        return self.goal.community

    def get_initial(self):
        return {"template": self.request.GET.get("template", "")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(goal=self.goal, **kwargs)

    def form_valid(self, form):
        try:
            task = services.task_create(actor=self.request.user, goal=self.goal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The task is handed out."))
        return redirect(task.get_absolute_url())


class TaskMixin(CommunityMixin):
    step = 6

    @cached_property
    def task(self) -> Task:
        return get_object_or_404(selectors.task_list(viewer=self.viewer), pk=self.kwargs["pk"])

    @cached_property
    def community(self):
        return self.task.goal.community


class TaskEditView(TaskMixin, TaskFormMixin, FormView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Task.objects.get(pk=self.task.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(goal=self.task.goal, **kwargs)

    def form_valid(self, form):
        try:
            services.task_update(
                actor=self.request.user, task=Task.objects.get(pk=self.task.pk), data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.task.get_absolute_url())


class TaskDetailView(TaskMixin, FormView):
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

    def form_valid(self, form):
        services.task_progress(
            actor=self.request.user, task=Task.objects.get(pk=self.task.pk), **form.cleaned_data
        )
        messages.success(self.request, _("Progress recorded."))
        return redirect(self.task.get_absolute_url())
