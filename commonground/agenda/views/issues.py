"""Pages of the common issues: the ranked list, a proposal, and an issue with its endorsements and discussion."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.filtersets import api_list_url, choose_by_name
from commonground.core.kept_rows import visible_by_key
from commonground.core.tlp import TLP, narrowest
from commonground.core.views import MarkedPageMixin, ServiceFormView, paginate, querystring_without_page
from commonground.registry.filtersets import choose_organization
from commonground.registry.models import Organization

from .. import selectors, services
from ..filtersets import IssueFilterSet
from ..forms import CommentForm, DecideForm, EndorseForm, IssueForm, MergeForm
from ..hazards import hazard_choices, hazard_risks
from ..impact import collective_impacts, ranked
from ..models import Endorsement, Issue
from ..permissions import can_decide, can_edit_issue, can_take_part
from ..tables import endorsement_rows


class IssueListView(MarkedPageMixin, CommunityMixin, TemplateView):
    """The issues on the table, ranked by how collectively they affect it."""

    template_name = "agenda/issue_list.html"
    step = 3
    marking_floor = TLP.CLEAR

    def get_context_data(self, **kwargs):
        queryset = selectors.issue_list(viewer=self.viewer, community=self.community)
        filterset = IssueFilterSet(self.request.GET, queryset=queryset)
        hazards = hazard_choices(viewer=self.viewer, community=self.community)
        choose_by_name(
            filterset, "hazard", hazards, search_url=api_list_url("api:hazard-list", self.community)
        )
        choose_organization(filterset, viewer=self.viewer, community=self.community)
        issues = filterset.qs if filterset.is_valid() else queryset.none()
        rows = selectors.issue_rows(issues, open_only=not self.request.GET.get("status"))
        page_obj = paginate(self.request, ranked(rows))
        return super().get_context_data(
            filterset=filterset,
            page_obj=page_obj,
            querystring=querystring_without_page(self.request),
            can_propose=can_take_part(self.viewer, self.community),
            can_decide=can_decide(self.viewer, self.community),
            **kwargs,
        )


class IssueFormMixin(CommunityMixin):
    form_class = IssueForm
    template_name = "agenda/issue_form.html"
    step = 3

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            organizations=selectors.organizations_spoken_for(viewer=self.viewer, community=self.community),
            hazards=hazard_choices(viewer=self.viewer, community=self.community),
        )
        return kwargs


class IssueCreateView(IssueFormMixin, ServiceFormView):
    success_message = gettext_lazy("The issue is on the table; your organization endorses it.")

    def dispatch(self, request, *args, **kwargs):
        if not can_take_part(self.viewer, self.community):
            raise PermissionDenied(_("Only the people at the table propose issues."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"organization": self.viewer.organization_id, "severity": 3, "tlp": TLP.GREEN}

    def service_call(self, form):
        data = dict(form.cleaned_data)
        return services.issue_propose(
            actor=self.request.user, community=self.community, organization=data.pop("organization"), **data
        )


class IssueMixin(CommunityMixin):
    step = 3

    @cached_property
    def issue(self) -> Issue:
        """The issue, by SQL kept for the reader (`core.kept_rows.visible_by_key`); a 404 where they may not see it."""
        found = self.visible_issue(self.kwargs["pk"])
        if found is None:
            raise Http404
        return found

    def visible_issue(self, pk) -> Issue | None:
        """The issue of key `pk` among those the reader may see (None if not), by SQL kept for the reader."""
        return visible_by_key(
            "visible issue", self.viewer, lambda: selectors.issue_list(viewer=self.viewer), pk
        )

    @cached_property
    def community(self):
        return self.issue.community


class IssueEditView(IssueMixin, IssueFormMixin, ServiceFormView):
    success_message = gettext_lazy("Saved.")

    def dispatch(self, request, *args, **kwargs):
        if not can_edit_issue(self.viewer, self.issue):
            raise PermissionDenied(_("Only its proposer (until decided) or a co-chair changes it."))
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        return self.issue

    def service_call(self, form):
        services.issue_update(actor=self.request.user, issue=self.issue, data=form.cleaned_data)
        return self.issue


class IssueDetailView(MarkedPageMixin, IssueMixin, TemplateView):
    """An issue: how collectively it affects the table, its hazards' assessed risk, who endorses it, the discussion."""

    template_name = "agenda/issue_detail.html"
    marked_records = "issue"

    def get_context_data(self, **kwargs):
        issue = self.issue
        risks, risks_marking = hazard_risks(
            viewer=self.viewer, community=self.community, hazards=list(issue.hazards.all())
        )
        # The issue it went into, named only to a reader who may see that one: a TLP:CLEAR issue merged into a
        # TLP:GREEN one is read by visitors and other tables (`issue.merged_into` is not read through the list).
        merged_into = None if issue.merged_into_id is None else self.visible_issue(issue.merged_into_id)
        # The page shows its hazards' joint figures too: they bring the profile's marking (and the title of the
        # issue it went into, that one's).
        self.marking_floor = narrowest([risks_marking, *([merged_into.tlp] if merged_into else [])])
        deciding = can_decide(self.viewer, self.community)  # the decide and merge forms are drawn only then
        merge_form = (
            MergeForm(targets=self.merge_targets(), kept_choices=self.kept_choices) if deciding else None
        )
        return super().get_context_data(
            issue=issue,
            merged_into=merged_into,
            impact=collective_impacts([issue])[issue.pk],
            hazard_risks=risks,
            endorsement_rows=endorsement_rows(
                # what the rows show (and the issue each is read through): each endorsement's severity and comment,
                # its organization's name and sector
                selectors.endorsement_list(viewer=self.viewer, issue=issue)
                .select_related(None)
                .select_related("organization")
                .only("issue", "severity", "comment", "organization__name", "organization__sector")
            ),
            comments=selectors.comment_list(viewer=self.viewer, issue=issue),
            endorse_form=self.endorse_form(),
            comment_form=CommentForm() if can_take_part(self.viewer, self.community) else None,
            can_edit=can_edit_issue(self.viewer, issue),
            can_decide=deciding,
            decide_form=DecideForm() if deciding else None,
            merge_form=merge_form,
            can_merge=merge_form is not None and issue.is_open and merge_form.has_targets(),
            **kwargs,
        )

    def endorse_form(self) -> EndorseForm | None:
        """The form to endorse the open issue for an organization the viewer speaks for, if there is one."""
        if not self.issue.is_open:
            return None
        spoken_for = selectors.organizations_spoken_for(viewer=self.viewer, community=self.community)
        # the select's options need only each record's id and name (`__str__`)
        form = EndorseForm(organizations=spoken_for.only("pk", "name"), kept_choices=self.kept_choices)
        return form if form.has_choices else None

    @property
    def kept_choices(self) -> tuple:
        """The page's forms' choices are the reader's at the issue's table, less the issue itself."""
        return ("issue page", self.viewer, self.community.pk, self.issue.pk)

    def merge_targets(self):
        return (
            selectors.issue_list(viewer=self.viewer, community=self.community)
            .open()
            .exclude(pk=self.issue.pk)
            .select_related(None)
            .only("pk", "title")
        )


class IssueActionView(IssueMixin, TemplateView):
    """A POST on an issue (endorse, comment, decide, merge): the service acts, the issue's page answers."""

    http_method_names = ["post"]
    form_class = None

    def form_kwargs(self) -> dict:
        return {}

    def allowed(self) -> bool:
        return can_take_part(self.viewer, self.community)

    def act(self, data: dict) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        if not self.allowed():
            raise PermissionDenied(_("You may not do this at this table."))
        form = self.form_class(request.POST, **self.form_kwargs())
        if form.is_valid():
            try:
                messages.success(request, self.act(form.cleaned_data))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            errors = [
                f"{form.fields[name].label if name in form.fields else ''}: {' '.join(e)}"
                for name, e in form.errors.items()
            ]
            messages.error(request, " ".join(errors))
        return redirect(self.issue.get_absolute_url())


class EndorseView(IssueActionView):
    form_class = EndorseForm

    def form_kwargs(self):
        return {
            "organizations": selectors.organizations_spoken_for(viewer=self.viewer, community=self.community)
        }

    def act(self, data):
        services.endorsement_save(actor=self.request.user, issue=self.issue, **data)
        return _("%(organization)s endorses the issue.") % {"organization": data["organization"]}


class WithdrawView(IssueMixin, TemplateView):
    """Withdraw an organization's endorsement (the viewer's own unless another is named)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        organization_id = request.POST.get("organization") or self.viewer.organization_id
        organization = get_object_or_404(
            Organization, pk=organization_id if str(organization_id).isdigit() else 0
        )
        endorsement = get_object_or_404(Endorsement, issue=self.issue, organization=organization)
        try:
            services.endorsement_withdraw(actor=request.user, endorsement=endorsement)
            messages.success(request, _("The endorsement was withdrawn."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.issue.get_absolute_url())


class CommentView(IssueActionView):
    form_class = CommentForm

    def act(self, data):
        services.comment_add(actor=self.request.user, issue=self.issue, body=data["body"])
        return _("Your comment is posted; the issue's endorsers hear of it.")


class DecideView(IssueActionView):
    form_class = DecideForm

    def allowed(self):
        return can_decide(self.viewer, self.community)

    def act(self, data):
        issue = services.issue_decide(actor=self.request.user, issue=self.issue, **data)
        return _("The issue is now: %(status)s.") % {"status": issue.get_status_display()}


class MergeView(IssueActionView):
    form_class = MergeForm

    def allowed(self):
        return can_decide(self.viewer, self.community)

    def form_kwargs(self):
        return {"targets": selectors.issue_list(viewer=self.viewer, community=self.community).open()}

    def act(self, data):
        services.issue_merge(actor=self.request.user, issue=self.issue, into=data["into"])
        return _("Merged into %(title)s; its endorsements carried over.") % {"title": data["into"]}
