from functools import cached_property

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.accounts.permissions import can_deactivate_user
from commonground.communities.mixins import CommunityMixin, PermissionRequiredMixin
from commonground.communities.permissions import can_invite
from commonground.core.counting import ListCount
from commonground.core.tlp import TLP
from commonground.core.viewer import ViewerMixin
from commonground.core.views import (
    MarkedPageMixin,
    ServiceFormView,
    add_service_errors,
    paginate,
    querystring_without_page,
)

from . import selectors, services
from .filtersets import OrganizationFilterSet, PersonFilterSet, choose_organization
from .forms import (
    AcceptInvitationForm,
    InvitationForm,
    NewOrganizationForm,
    OrganizationForm,
    PersonForm,
)
from .models import Organization, Person
from .permissions import (
    can_add_organization,
    can_edit_organization,
    can_edit_person,
    can_revoke_invitation,
)
from .tables import FIELDS, people_rows_html
from .tokens import InvalidToken


class OrganizationListView(CommunityMixin, TemplateView):
    template_name = "registry/organization_list.html"
    step = 2

    def get_context_data(self, **kwargs):
        queryset = selectors.organization_list(viewer=self.viewer, community=self.community)
        filterset = OrganizationFilterSet(self.request.GET, queryset=queryset)
        return super().get_context_data(
            filterset=filterset,
            page_obj=paginate(self.request, filterset.qs, known_count=self.known_count()),
            querystring=querystring_without_page(self.request),
            can_add=can_add_organization(self.viewer, self.community),
            **kwargs,
        )

    UNFILTERED = {"page", "cursor", "ordering"}

    def known_count(self) -> ListCount | None:
        """A member looking at the whole table sees every organization at it: count the seats, not the list."""
        if set(self.request.GET) <= self.UNFILTERED:
            return selectors.whole_table_count(viewer=self.viewer, community=self.community)
        return None


class OrganizationCreateView(CommunityMixin, PermissionRequiredMixin, ServiceFormView):
    permission = staticmethod(can_add_organization)
    denied = gettext_lazy(
        "Only co-chairs and facilitators register organizations at the table; an invitee registers their own."
    )
    template_name = "registry/organization_form.html"
    form_class = OrganizationForm
    step = 2

    def service_call(self, form):
        return services.organization_create(
            actor=self.request.user, community=self.community, **form.cleaned_data
        )

    def get_success_message(self, record) -> str:
        return _("%(name)s is at the table.") % {"name": record}


class OrganizationMixin(ViewerMixin):
    @cached_property
    def organization(self) -> Organization:
        return get_object_or_404(
            Organization.objects.visible_to(self.viewer).prefetch_related("memberships__community"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(organization=self.organization, tlp_marking=TLP.GREEN, **kwargs)


class PeopleMarkingMixin(MarkedPageMixin):
    """A page of people marks itself with the contact details it shows, not those it withholds."""

    def shown_marking(self, person) -> str | None:
        return person.contact_tlp if person.contact_visible else None


class OrganizationDetailView(PeopleMarkingMixin, OrganizationMixin, TemplateView):
    template_name = "registry/organization_detail.html"
    marked_records = "people"

    def get_context_data(self, **kwargs):
        people = list(selectors.person_list(viewer=self.viewer).filter(organization=self.organization))
        from commonground.communities.permissions import can_manage_community

        prefetch_related_objects([self.organization], "memberships")
        memberships = list(self.organization.memberships.all())
        for person in people:  # all of this organization: its seats read once for every person's check
            person.organization = self.organization
        return super().get_context_data(
            people=people,
            editable_people={p.pk for p in people if can_edit_person(self.viewer, p)},
            can_edit=can_edit_organization(self.viewer, self.organization),
            communities=[m.community for m in memberships],
            removable=[m for m in memberships if can_manage_community(self.viewer, m.community)],
            **kwargs,
        )


class OrganizationEditView(OrganizationMixin, ServiceFormView):
    template_name = "registry/organization_form.html"
    form_class = OrganizationForm
    success_message = gettext_lazy("Saved.")

    def dispatch(self, request, *args, **kwargs):
        if not can_edit_organization(self.viewer, self.organization):
            raise PermissionDenied(_("Only the organization's admin or a co-chair may edit it."))
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        return self.organization

    def get_map_community(self):
        """Return a community of the organization's that the viewer sits in (its map's area), if any."""
        seats = [m.community for m in self.organization.memberships.all()]
        return next((c for c in seats if self.viewer.is_member_of(c.pk)), None)

    def service_call(self, form):
        return services.organization_update(
            actor=self.request.user, organization=self.organization, data=self.changed(form)
        )


class PersonListView(PeopleMarkingMixin, CommunityMixin, TemplateView):
    template_name = "registry/person_list.html"

    def get_context_data(self, **kwargs):
        queryset = selectors.person_list(viewer=self.viewer, community=self.community).only(*FIELDS)
        filterset = PersonFilterSet(self.request.GET, queryset=queryset)
        choose_organization(filterset, viewer=self.viewer, community=self.community)
        page = paginate(self.request, filterset.qs)
        return super().get_context_data(
            filterset=filterset,
            page_obj=page,
            rows_html=people_rows_html(page),
            querystring=querystring_without_page(self.request),
            **kwargs,
        )


class PersonCreateView(OrganizationMixin, ServiceFormView):
    template_name = "registry/person_form.html"
    form_class = PersonForm
    success_message = gettext_lazy("Added.")

    def dispatch(self, request, *args, **kwargs):
        if not can_edit_organization(self.viewer, self.organization):
            raise PermissionDenied(_("Only the organization's admin may add people."))
        return super().dispatch(request, *args, **kwargs)

    def service_call(self, form):
        services.person_create(actor=self.request.user, organization=self.organization, **form.cleaned_data)
        return self.organization


class PersonMixin(ViewerMixin):
    @cached_property
    def person(self) -> Person:
        return get_object_or_404(selectors.person_list(viewer=self.viewer), pk=self.kwargs["pk"])


class PersonEditView(PersonMixin, ServiceFormView):
    template_name = "registry/person_form.html"
    form_class = PersonForm
    success_message = gettext_lazy("Saved.")
    permission_errors_on_form = True

    def dispatch(self, request, *args, **kwargs):
        if not can_edit_person(self.viewer, self.person):
            raise PermissionDenied(_("You may not edit this person."))
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        return self.person

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contact_visible": self.person.contact_visible}

    def get_context_data(self, **kwargs):
        visible = self.person.contact_visible
        return super().get_context_data(
            organization=self.person.organization,
            person=self.person,
            contact_hidden=not visible,
            tlp_marking=self.person.contact_tlp if visible else TLP.GREEN,
            can_remove=can_edit_organization(self.viewer, self.person.organization),
            can_deactivate=can_deactivate_user(self.viewer, self.person.user),
            **kwargs,
        )

    def service_call(self, form):
        services.person_update(actor=self.request.user, person=self.person, data=self.changed(form))
        return self.person.organization


class InvitationListView(CommunityMixin, ServiceFormView):
    """Step 2: invite others from your own network, and see the invitations you may see."""

    template_name = "registry/invitation_list.html"
    form_class = InvitationForm
    step = 2

    def dispatch(self, request, *args, **kwargs):
        if not can_invite(self.viewer, self.community):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        from commonground.communities.permissions import can_manage_community

        return {
            **super().get_form_kwargs(),
            "community": self.community,
            "can_manage": can_manage_community(self.viewer, self.community),
            "viewer": self.viewer,
        }

    def get_context_data(self, **kwargs):
        queryset = selectors.invitation_list(viewer=self.viewer, community=self.community)
        page_obj = paginate(self.request, queryset)
        revocable = {i.pk for i in page_obj if can_revoke_invitation(self.viewer, i)}
        return super().get_context_data(page_obj=page_obj, revocable=revocable, **kwargs)

    def post(self, request, *args, **kwargs):
        if "revoke" in request.POST:
            invitation = get_object_or_404(
                selectors.invitation_list(viewer=self.viewer, community=self.community),
                pk=request.POST["revoke"],
            )
            try:
                services.invitation_revoke(actor=request.user, invitation=invitation)
                messages.success(
                    request, _("The invitation to %(name)s is withdrawn.") % {"name": invitation.name}
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("registry:invitations", slug=self.community.slug)
        return super().post(request, *args, **kwargs)

    def service_call(self, form):
        return services.invitation_send(
            actor=self.request.user, community=self.community, **form.cleaned_data
        )

    def get_success_message(self, record) -> str:
        return _("An invitation is on its way to %(email)s.") % {"email": record.email}

    def get_success_url(self):
        return reverse("registry:invitations", kwargs={"slug": self.community.slug})


class InvitationTreeView(CommunityMixin, TemplateView):
    template_name = "registry/invitation_tree.html"
    step = 2

    def get_context_data(self, **kwargs):
        return super().get_context_data(roots=selectors.invitation_tree(self.community), **kwargs)


class CoverageView(CommunityMixin, TemplateView):
    template_name = "registry/coverage.html"
    step = 2

    def get_context_data(self, **kwargs):
        coverage = selectors.coverage_report(self.community)
        largest = max((count for _label, count in coverage.business_bands), default=0) or 1
        return super().get_context_data(coverage=coverage, band_max=largest, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class AcceptInvitationView(TemplateView):
    """The page an invitee lands on from the e-mail: register, and the organization where new."""

    template_name = "registry/accept_invitation.html"

    def get_invitation(self):
        try:
            return services.invitation_for_token(self.kwargs["token"]), None
        except InvalidToken as error:
            return None, str(error)

    def forms(self, invitation, data=None):
        person_form = AcceptInvitationForm(data, initial={"first_name": invitation.name.split(" ")[0]})
        org_form = (
            None
            if invitation.organization_id
            else NewOrganizationForm(data, invitation=invitation, map_community=invitation.community)
        )
        return person_form, org_form

    def get(self, request, *args, **kwargs):
        invitation, problem = self.get_invitation()
        context = {"invitation": invitation, "problem": problem, "tlp_marking": TLP.GREEN}
        if invitation:
            context["form"], context["org_form"] = self.forms(invitation)
        return self.render_to_response(context, status=200 if invitation else 410 if problem else 404)

    def post(self, request, *args, **kwargs):
        invitation, problem = self.get_invitation()
        if invitation is None:
            return self.render_to_response({"problem": problem, "tlp_marking": TLP.GREEN}, status=410)
        form, org_form = self.forms(invitation, request.POST)
        if form.is_valid() and (org_form is None or org_form.is_valid()):
            try:
                person = services.invitation_accept(
                    token=self.kwargs["token"],
                    organization_data=org_form.cleaned_data if org_form else None,
                    **form.cleaned_data,
                )
            except InvalidToken as error:
                return self.render_to_response({"problem": str(error), "tlp_marking": TLP.GREEN}, status=410)
            except ValidationError as error:
                add_service_errors(form, error)
                if org_form is not None and hasattr(error, "error_dict"):
                    for field in set(error.error_dict) & set(org_form.fields):
                        org_form.add_error(field, error.error_dict[field])
            else:
                login(request, person.user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Welcome to the %(community)s partnership.") % {"community": invitation.community},
                )
                return redirect(invitation.community.get_absolute_url())
        return self.render_to_response(
            {"invitation": invitation, "form": form, "org_form": org_form, "tlp_marking": TLP.GREEN}
        )


class PersonDeleteView(PersonMixin, TemplateView):
    """Remove a person from their organization (its admin, a co-chair of its table, or a facilitator)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        organization = self.person.organization
        services.person_delete(actor=request.user, person=self.person)
        messages.success(request, _("%(person)s is removed.") % {"person": self.person})
        return redirect(organization.get_absolute_url())


class MembershipRemoveView(ViewerMixin, TemplateView):
    """Take an organization from a community's table (co-chairs and facilitators)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        from commonground.communities.selectors import membership_list
        from commonground.communities.services import membership_remove

        membership = get_object_or_404(membership_list(viewer=self.viewer), pk=kwargs["pk"])
        membership_remove(actor=request.user, membership=membership)
        messages.success(
            request,
            _("%(organization)s has left the %(community)s table.")
            % {"organization": membership.organization, "community": membership.community},
        )
        return redirect("registry:organizations", slug=membership.community.slug)
