"""Pages of the adopted agenda and of the votes that order it."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.tlp import TLP
from commonground.core.views import MarkedPageMixin, ServiceFormView

from .. import selectors, services
from ..choices import IssueStatus
from ..forms import BallotForm, VoteForm
from ..impact import ranked
from ..models import Vote
from ..permissions import can_decide


class AgendaView(MarkedPageMixin, CommunityMixin, TemplateView):
    """The partnership's adopted agenda, in the order of the last vote (then by collective impact), and its votes."""

    template_name = "agenda/agenda.html"
    step = 3
    marked_records = "issues"
    marking_floor = TLP.CLEAR

    def get_context_data(self, **kwargs):
        adopted = selectors.issue_list(viewer=self.viewer, community=self.community).filter(
            status=IssueStatus.ADOPTED
        )
        issues = sorted(ranked(adopted), key=lambda i: (i.agenda_rank is None, i.agenda_rank or 0))
        return super().get_context_data(
            issues=issues,
            votes=selectors.vote_list(viewer=self.viewer, community=self.community),
            can_decide=can_decide(self.viewer, self.community),
            **kwargs,
        )


class VoteCreateView(CommunityMixin, ServiceFormView):
    template_name = "agenda/vote_form.html"
    form_class = VoteForm
    step = 3

    def dispatch(self, request, *args, **kwargs):
        if not can_decide(self.viewer, self.community):
            raise PermissionDenied(_("Only co-chairs run votes."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        issues = selectors.issue_list(viewer=self.viewer, community=self.community).filter(
            status=IssueStatus.ADOPTED
        )
        return {**super().get_form_kwargs(), "issues": issues}

    def get_initial(self):
        return {"title": _("Order of the agenda"), "kind": "dot", "dots": 5}

    success_message = gettext_lazy("The vote is open to the organizations at the table.")

    def service_call(self, form):
        return services.vote_open(actor=self.request.user, community=self.community, **form.cleaned_data)


class VoteMixin(CommunityMixin):
    step = 3

    @cached_property
    def vote(self) -> Vote:
        return get_object_or_404(selectors.vote_list(viewer=self.viewer), pk=self.kwargs["pk"])

    @cached_property
    def community(self):
        return self.vote.community

    @cached_property
    def issues(self):
        return list(self.vote.issues.order_by("title"))

    @cached_property
    def organizations(self):
        return selectors.ballot_organizations(viewer=self.viewer, vote=self.vote)


class VoteDetailView(VoteMixin, ServiceFormView):
    """A vote: the ballot for those who cast one, the standing (co-chairs) or the result (once closed)."""

    template_name = "agenda/vote_detail.html"
    form_class = BallotForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "vote": self.vote,
            "issues": self.issues,
            "organizations": self.organizations,
        }

    def get_initial(self):
        ballot = selectors.ballot_of(self.vote, self.viewer.organization_id)
        initial = {"organization": self.viewer.organization_id}
        if ballot:
            initial.update({f"issue_{key}": value for key, value in ballot.choices.items()})
        return initial

    def get_context_data(self, **kwargs):
        results = None
        if not self.vote.is_open or can_decide(self.viewer, self.community):
            titles = {i.pk: i.title for i in self.issues}
            results = [(titles[r.issue_id], r) for r in selectors.vote_standing(self.vote)]
        return super().get_context_data(
            vote=self.vote,
            results=results,
            ballots=self.vote.ballots.count(),
            can_vote=self.vote.is_open and self.organizations.exists(),
            can_decide=can_decide(self.viewer, self.community),
            **kwargs,
        )

    success_message = gettext_lazy("The ballot is cast; you may change it until the vote closes.")

    def service_call(self, form):
        services.ballot_cast(
            actor=self.request.user, vote=self.vote, organization=form.cleaned_data["organization"],
            choices=form.choices(),
        )  # fmt: skip
        return self.vote


class VoteCloseView(VoteMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.vote_close(actor=request.user, vote=self.vote)
            messages.success(request, _("The vote is closed; the agenda follows its result."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.vote.get_absolute_url())
