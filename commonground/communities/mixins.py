"""What every page inside a community shares: the community from the address, the viewer, the marking."""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from commonground.core.tlp import TLP
from commonground.core.viewer import ViewerMixin

from . import permissions
from .selectors import community_get


class CommunityMixin(ViewerMixin):
    """Resolve the community named in the address; one the viewer may not see is a 404."""

    step: int | None = None
    tlp_marking = TLP.GREEN

    @cached_property
    def community(self):
        return community_get(viewer=self.viewer, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            community=self.community,
            step=self.step,
            tlp_marking=self.get_tlp_marking(),
            can_manage=permissions.can_manage_community(self.viewer, self.community),
            viewer=self.viewer,
        )
        return context

    def get_tlp_marking(self) -> str:
        return self.tlp_marking


class PermissionRequiredMixin:
    """A page of the community that one permission function opens, and whose refusal names that rule.

    The page's links and buttons are shown by the same function (its answer goes to the templates under
    the name the page gives), so that nobody is shown a button to a page that refuses them.
    """

    permission = staticmethod(permissions.can_manage_community)
    denied = gettext_lazy("Only co-chairs and facilitators may do this.")

    def dispatch(self, request, *args, **kwargs):
        if not self.permission(self.viewer, self.community):
            raise PermissionDenied(self.denied)
        return super().dispatch(request, *args, **kwargs)
