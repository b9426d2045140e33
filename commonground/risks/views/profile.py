from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.aggregates import MINIMUM_ORGANIZATIONS

from ..choices import HazardKind
from ..permissions import can_assess_any
from ..profile import kept_risk_profile
from ..tables import heat_map_rows, ranked_rows


class RiskProfileView(CommunityMixin, TemplateView):
    """The joint assessment: the heat map, the ranked hazards and the sectors each one threatens."""

    template_name = "risks/profile.html"
    step = 5

    def get_context_data(self, **kwargs):
        profile = kept_risk_profile(viewer=self.viewer, community=self.community)
        heat_map = profile.heat_map()
        context = super().get_context_data(
            profile=profile,
            heat_map=heat_map,
            heat_rows=heat_map_rows(heat_map, self.community),
            ranked_rows=ranked_rows(profile.ranked, self.community),
            assessing=profile.assessing_organizations,
            minimum=MINIMUM_ORGANIZATIONS,
            kinds=dict(HazardKind.choices),
            can_assess=can_assess_any(self.viewer, self.community),
            **kwargs,
        )
        context["tlp_marking"] = profile.marking
        return context


class RiskProfilePrintView(RiskProfileView):
    """The same profile laid out for paper: no navigation, every hazard on the page."""

    template_name = "risks/profile_print.html"
