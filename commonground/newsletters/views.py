"""The newsletter pages: the archive, composing and editing a draft, its audience and a recipient's preview,
sending; the public editions and their feed; the one-click unsubscribe."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import wants_mail
from commonground.agenda.models import Issue
from commonground.communities.mixins import CommunityMixin, PermissionRequiredMixin
from commonground.communities.models import Community
from commonground.core.kept_rows import visible_by_key
from commonground.core.tlp import TLP
from commonground.core.views import ServiceFormView, paginate
from commonground.core.visibility import ANONYMOUS

from . import selectors, services
from .audience import newsletter_audience, recipient_name, with_contact_shown
from .choices import NewsletterStatus
from .email import newsletter_parts
from .forms import NewsletterForm, SectionForm, SegmentForm
from .models import Newsletter, Section
from .permissions import can_compose, can_read_newsletters
from .rendering import edition_for, sections_for
from .tokens import user_of_token

COMPOSE_DENIED = gettext_lazy("Only co-chairs and facilitators compose and send newsletters.")
READ_DENIED = gettext_lazy("Only the members of this table read its newsletters.")


class NewsletterListView(CommunityMixin, PermissionRequiredMixin, TemplateView):
    """The table's sent newsletters; for co-chairs also the drafts and the button to compose one."""

    template_name = "newsletters/newsletter_list.html"
    permission = staticmethod(can_read_newsletters)
    denied = READ_DENIED

    def get_context_data(self, **kwargs):
        composer = can_compose(self.viewer, self.community)
        newsletters = selectors.newsletter_list(viewer=self.viewer, community=self.community)
        if composer:
            newsletters = selectors.with_delivery_counts(newsletters)
        return super().get_context_data(
            page_obj=paginate(self.request, newsletters), can_compose=composer, **kwargs
        )


class NewsletterCreateView(CommunityMixin, PermissionRequiredMixin, View):
    """Compose: a draft pre-filled from what happened since the last newsletter went."""

    permission = staticmethod(can_compose)
    denied = COMPOSE_DENIED

    def post(self, request, *args, **kwargs):
        newsletter = services.newsletter_create(actor=request.user, community=self.community)
        messages.success(request, _("A draft is ready, pre-filled with the news since the last newsletter."))
        return redirect(newsletter.get_absolute_url())


class NewsletterMixin(CommunityMixin):
    """A page of the newsletter the address names, among those the viewer may see."""

    @cached_property
    def newsletter(self) -> Newsletter:
        """The newsletter, by SQL kept for the reader (`core.kept_rows.visible_by_key`); a 404 where they may not
        see it."""
        viewer, community = self.viewer, self.community
        found = visible_by_key(
            "visible newsletter",
            (viewer, community.pk),
            lambda: selectors.newsletter_list(viewer=viewer, community=community),
            self.kwargs["pk"],
        )
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs):
        return super().get_context_data(newsletter=self.newsletter, **kwargs)


class ComposeMixin(NewsletterMixin, PermissionRequiredMixin):
    permission = staticmethod(can_compose)
    denied = COMPOSE_DENIED


class NewsletterDetailView(NewsletterMixin, PermissionRequiredMixin, TemplateView):
    """A newsletter as the viewer gets it (a section whose records they may not see is left out); for co-chairs
    the draft's sections to edit, and a sent one's deliveries."""

    template_name = "newsletters/newsletter_detail.html"
    permission = staticmethod(can_read_newsletters)
    denied = READ_DENIED

    def get_tlp_marking(self):
        return TLP.GREEN

    def get_context_data(self, **kwargs):
        composer = can_compose(self.viewer, self.community)
        # Even a co-chair gets only the sections whose records they may see (another co-chair's draft).
        # Someone who was not sent it reads a public edition as a visitor does: its TLP:CLEAR parts.
        public = not self.newsletter.in_full
        sections = sections_for(self.viewer, self.newsletter.sections.all(), public=public)
        counts = None
        if composer and self.newsletter.status != NewsletterStatus.DRAFT:
            counts = selectors.with_delivery_counts(Newsletter.objects.filter(pk=self.newsletter.pk)).get()
        return super().get_context_data(
            edition=edition_for(self.viewer, self.newsletter, sections, public=public, already_shown=True),
            sections=sections,
            can_compose=composer,
            is_draft=self.newsletter.status == NewsletterStatus.DRAFT,
            counts=counts,
            **kwargs,
        )


class NewsletterEditView(ComposeMixin, ServiceFormView):
    template_name = "newsletters/newsletter_form.html"
    form_class = NewsletterForm
    success_message = gettext_lazy("Saved.")

    def get_instance(self):
        return self.newsletter

    def get_form_kwargs(self):
        issues = Issue.objects.visible_to(self.viewer).filter(community=self.community).order_by("title")
        # A saved segment naming an issue this co-chair may not see is not theirs to choose.
        segments = selectors.segment_list(viewer=self.viewer, community=self.community).filter(
            Q(issue__isnull=True) | Q(issue_visible=True)
        )
        return {**super().get_form_kwargs(), "issues": issues, "segments": segments}

    def service_call(self, form):
        return services.newsletter_update(
            actor=self.request.user, newsletter=self.newsletter, data=self.changed(form)
        )


class SectionMixin(ComposeMixin):
    @cached_property
    def section(self) -> Section:
        """The section, if the editor may see every record it was built from."""
        section = get_object_or_404(self.newsletter.sections.all(), pk=self.kwargs["section"])
        if not sections_for(self.viewer, [section]):
            raise Http404
        return section


class SectionEditView(SectionMixin, ServiceFormView):
    template_name = "newsletters/section_form.html"
    form_class = SectionForm
    success_message = gettext_lazy("Saved.")

    def get_instance(self):
        return self.section

    def service_call(self, form):
        return services.section_update(actor=self.request.user, section=self.section, data=self.changed(form))

    def get_success_url(self):
        return self.newsletter.get_absolute_url()


class SectionCreateView(ComposeMixin, ServiceFormView):
    template_name = "newsletters/section_form.html"
    form_class = SectionForm
    success_message = gettext_lazy("The section is added.")

    def service_call(self, form):
        return services.section_create(
            actor=self.request.user, newsletter=self.newsletter, **form.cleaned_data
        )

    def get_success_url(self):
        return self.newsletter.get_absolute_url()


class SectionDeleteView(SectionMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            services.section_delete(actor=request.user, section=self.section)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.newsletter.get_absolute_url())


class NewsletterDeleteView(ComposeMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            services.newsletter_delete(actor=request.user, newsletter=self.newsletter)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.newsletter.get_absolute_url())
        messages.success(request, _("The draft is removed."))
        return redirect("newsletters:list", slug=self.community.slug)


def recipient_rows(users) -> list[dict]:
    """Each recipient's row: the address only where their `contact_tlp` lets the viewer see it."""
    return [
        {
            "user": user,
            "wants": wants_mail(user, MailKind.NEWSLETTERS),
            "name": recipient_name(user, contact_shown=user.contact_shown),
            "email": user.email if user.contact_shown else "",
        }
        for user in users
    ]


class AudienceView(ComposeMixin, TemplateView):
    """The exact recipients, a page at a time, with their count; each one's preview a click away."""

    template_name = "newsletters/audience.html"

    def get_context_data(self, **kwargs):
        users = newsletter_audience(self.newsletter, viewer=self.viewer)
        page_obj = paginate(self.request, with_contact_shown(users, viewer=self.viewer))
        choices = list(users.values_list("mail_unwanted", flat=True))
        opted_out = sum(1 for unwanted in choices if MailKind.NEWSLETTERS.value in (unwanted or ()))
        return super().get_context_data(
            page_obj=page_obj,
            rows=recipient_rows(page_obj.object_list),
            total=len(choices),
            opted_out=opted_out,
            receiving=len(choices) - opted_out,
            is_draft=self.newsletter.status == NewsletterStatus.DRAFT,
            **kwargs,
        )


class PreviewView(ComposeMixin, TemplateView):
    """The e-mail as one chosen recipient of the audience would receive it: TLP applied to that reader."""

    template_name = "newsletters/preview.html"

    def get_context_data(self, **kwargs):
        audience = with_contact_shown(
            newsletter_audience(self.newsletter, viewer=self.viewer), viewer=self.viewer
        )
        try:
            recipient_id = int(self.request.GET.get("recipient", ""))
        except ValueError:
            recipient = audience.first()
        else:
            recipient = audience.filter(pk=recipient_id).first()
        if recipient is None:
            raise Http404(_("Nobody of this audience by that number."))
        contact_shown = recipient.contact_shown
        # A fresh copy: the viewer cached on a login object is that login's, never the co-chair's.
        recipient = get_user_model().objects.get(pk=recipient.pk)
        parts = newsletter_parts(self.newsletter, recipient, shown_to=self.viewer)
        if not contact_shown:
            parts["to"] = _("withheld (their contact details are not shared with you)")
        return super().get_context_data(
            recipient=recipient,
            recipient_name=recipient_name(recipient, contact_shown=contact_shown),
            parts=parts,
            **kwargs,
        )


class SendView(ComposeMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            count = services.newsletter_send(actor=request.user, newsletter=self.newsletter)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The newsletter is going out to %(count)d recipients.") % {"count": count}
            )
        return redirect(self.newsletter.get_absolute_url())


class SegmentListView(CommunityMixin, PermissionRequiredMixin, ServiceFormView):
    """The saved segments of a community, and a form to save another."""

    template_name = "newsletters/segment_list.html"
    form_class = SegmentForm
    permission = staticmethod(can_compose)
    denied = COMPOSE_DENIED
    success_message = gettext_lazy("The segment is saved.")

    def get_form_kwargs(self):
        issues = Issue.objects.visible_to(self.viewer).filter(community=self.community).order_by("title")
        return {**super().get_form_kwargs(), "issues": issues}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            segments=selectors.segment_list(viewer=self.viewer, community=self.community), **kwargs
        )

    def service_call(self, form):
        return services.segment_create(actor=self.request.user, community=self.community, **form.cleaned_data)

    def get_success_url(self):
        return reverse("newsletters:segments", args=[self.community.slug])


class SegmentDeleteView(CommunityMixin, PermissionRequiredMixin, View):
    permission = staticmethod(can_compose)
    denied = COMPOSE_DENIED

    def post(self, request, *args, **kwargs):
        segment = get_object_or_404(
            selectors.segment_list(viewer=self.viewer, community=self.community), pk=self.kwargs["pk"]
        )
        services.segment_delete(actor=request.user, segment=segment)
        messages.success(request, _("The segment is removed."))
        return redirect("newsletters:segments", slug=self.community.slug)


def public_community(slug: str) -> Community:
    """A community with at least one public edition; any other is missing."""
    community = get_object_or_404(Community, slug=slug)
    if not selectors.public_editions(community=community).exists():
        raise Http404
    return community


@method_decorator(login_not_required, name="dispatch")
class PublicListView(TemplateView):
    """The public editions of a community's newsletter: only their TLP:CLEAR parts."""

    template_name = "newsletters/public_list.html"

    def get_context_data(self, **kwargs):
        community = public_community(self.kwargs["slug"])
        return super().get_context_data(
            tlp_marking=TLP.CLEAR, editions=selectors.public_editions(community=community)[:50], **kwargs
        )


@method_decorator(login_not_required, name="dispatch")
class PublicDetailView(TemplateView):
    template_name = "newsletters/public_detail.html"

    def get_context_data(self, **kwargs):
        community = public_community(self.kwargs["slug"])
        newsletter = get_object_or_404(selectors.public_editions(community=community), pk=self.kwargs["pk"])
        return super().get_context_data(
            tlp_marking=TLP.CLEAR, edition=edition_for(ANONYMOUS, newsletter, public=True), **kwargs
        )


@method_decorator([login_not_required, csrf_exempt], name="dispatch")
class UnsubscribeView(View):
    """The link in every newsletter: GET asks to confirm (a mail scanner following links unsubscribes
    nobody); POST unsubscribes, from the page's button or the mail client's one click (RFC 8058), with no
    sign-in: the signed token names the login."""

    def dispatch(self, request, *args, **kwargs):
        self.user = user_of_token(kwargs["token"])
        if self.user is None:
            return render(
                request,
                "newsletters/unsubscribe.html",
                {"invalid": True, "tlp_marking": TLP.CLEAR},
                status=400,
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return render(
            request,
            "newsletters/unsubscribe.html",
            {"done": not wants_mail(self.user, MailKind.NEWSLETTERS), "tlp_marking": TLP.CLEAR},
        )

    def post(self, request, *args, **kwargs):
        services.newsletters_unsubscribe(user=self.user)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=200)
        return render(request, "newsletters/unsubscribe.html", {"done": True, "tlp_marking": TLP.CLEAR})
