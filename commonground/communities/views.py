from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.core.filtersets import AuditEntryFilterSet, api_list_url, choose_by_name
from commonground.core.kept_pages import name_list
from commonground.core.tlp import TLP
from commonground.core.viewer import ViewerMixin
from commonground.core.views import ServiceFormView, paginate, querystring_without_page

from . import permissions, selectors, services, snapshots
from .forms import CoChairForm, CommunityEditForm, CommunityForm
from .mixins import CommunityMixin, PermissionRequiredMixin
from .models import CoChair
from .progress import dashboard_panels, step_state


@method_decorator(login_not_required, name="dispatch")
class LandingView(TemplateView):
    """The public face of the program: what it is and its statistics (TLP:CLEAR)."""

    template_name = "communities/landing.html"

    def get_context_data(self, **kwargs):
        from .statistics import program_statistics

        return super().get_context_data(stats=program_statistics(), tlp_marking=TLP.CLEAR, **kwargs)


class CommunityListView(ViewerMixin, TemplateView):
    """The communities the user may open; someone who sits at one table only is taken to its dashboard."""

    template_name = "communities/community_list.html"

    def get(self, request, *args, **kwargs):
        # A plain visit (no filter, no page) by someone who cannot start a community and has one to open.
        if not request.GET and not permissions.can_create_community(self.viewer):
            first_two = list(selectors.community_list(viewer=self.viewer)[:2])
            if len(first_two) == 1:
                return redirect("communities:dashboard", slug=first_two[0].slug)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .filtersets import CommunityFilterSet

        filterset = CommunityFilterSet(
            self.request.GET, queryset=selectors.community_list(viewer=self.viewer)
        )
        return super().get_context_data(
            filterset=filterset,
            page_obj=paginate(self.request, filterset.qs),
            querystring=querystring_without_page(self.request),
            can_create=permissions.can_create_community(self.viewer),
            tlp_marking=TLP.GREEN,
            **kwargs,
        )


class CommunityCreateView(ViewerMixin, ServiceFormView):
    template_name = "communities/community_form.html"
    form_class = CommunityForm

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_create_community(self.viewer):
            raise PermissionDenied(_("Only facilitators create communities."))
        return super().dispatch(request, *args, **kwargs)

    def service_call(self, form):
        return services.community_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, record) -> str:
        return _("The %(name)s partnership is started. Invite its first leaders.") % {"name": record}


class DashboardView(CommunityMixin, TemplateView):
    """Where a community stands in the six steps, each computed from its data."""

    template_name = "communities/dashboard.html"

    def get_context_data(self, **kwargs):
        # The same for every reader (as a plain member sees it): cached between the writes that change it.
        found = snapshots.snapshot(self.community)
        seats = found.seats
        counts = {
            "organizations": sum(seats.values()),
            **{sector: seats.get(sector, 0) for sector in ("public", "private", "nonprofit")},
        }
        return super().get_context_data(
            steps=found.steps,
            steps_done=sum(1 for s in found.steps if s.is_done),
            counts=counts,
            cochairs=selectors.cochair_list(viewer=self.viewer, community=self.community),
            panels=dashboard_panels(self.viewer, self.community, found.panels),
            can_import=permissions.can_import(self.viewer, self.community),
            **kwargs,
        )


class CommunityEditView(CommunityMixin, PermissionRequiredMixin, ServiceFormView):
    denied = gettext_lazy("Only co-chairs and facilitators edit the community.")
    template_name = "communities/community_form.html"
    form_class = CommunityEditForm
    success_message = gettext_lazy("Saved.")

    def get_instance(self):
        return self.community

    def service_call(self, form):
        services.community_update(actor=self.request.user, community=self.community, data=self.changed(form))
        return self.community


class LeadershipView(CommunityMixin, ServiceFormView):
    """Step 1: the co-chairs, and whether leadership is co-shared."""

    template_name = "communities/leadership.html"
    form_class = CoChairForm
    step = 1

    def get_form_kwargs(self):
        # The candidates are a function of the community alone (`CoChairForm`): their SQL kept for it.
        return {**super().get_form_kwargs(), "community": self.community, "kept_choices": self.community.pk}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cochairs=selectors.cochair_list(viewer=self.viewer, community=self.community),
            state=step_state(self.community, 1),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            cochair = get_object_or_404(CoChair, community=self.community, pk=request.POST.get("remove"))
            services.cochair_remove(actor=request.user, cochair=cochair)
            messages.success(request, _("%(person)s no longer co-chairs.") % {"person": cochair.person})
            return redirect("communities:leadership", slug=self.community.slug)
        return super().post(request, *args, **kwargs)

    success_message = gettext_lazy("Co-chair recorded.")

    def service_call(self, form):
        return services.cochair_add(
            actor=self.request.user, community=self.community, person=form.cleaned_data["person"]
        )

    def get_success_url(self):
        return reverse("communities:leadership", kwargs={"slug": self.community.slug})


class AuditLogView(CommunityMixin, PermissionRequiredMixin, TemplateView):
    """Every change at this table: who, when, which fields, before and after."""

    denied = gettext_lazy("Only co-chairs and facilitators read the table's record of changes.")

    template_name = "communities/audit_log.html"
    tlp_marking = TLP.AMBER

    def get_context_data(self, **kwargs):
        entries = selectors.audit_entry_list(viewer=self.viewer, community=self.community)
        filterset = AuditEntryFilterSet(self.request.GET, queryset=entries)
        # Organizations are the registry's, an app above this one: named by label, read through visible_to.
        seated = apps.get_model("registry", "Organization").objects.visible_to(self.viewer)
        seated = name_list(
            seated.filter(pk__in=self.community.memberships.values("organization_id")),
            ("audit log organizations", self.viewer, self.community.pk),
        )
        choose_by_name(
            filterset, "organization", seated, api_list_url("api:organization-list", self.community)
        )
        return super().get_context_data(
            filterset=filterset,
            page_obj=paginate(self.request, filterset.qs),
            querystring=querystring_without_page(self.request),
            **kwargs,
        )


def permission_denied(request, exception=None):
    return render(request, "403.html", {"message": str(exception or "")}, status=403)
