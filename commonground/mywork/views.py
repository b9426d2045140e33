"""My work: the page a logged-in user lands on."""

from django.views.generic import TemplateView

from commonground.core.tlp import TLP, narrowest
from commonground.core.viewer import ViewerMixin
from commonground.core.views import record_marking
from commonground.program.permissions import can_see_progress_table
from commonground.risks.permissions import can_assess_any
from commonground.sustainability.permissions import can_answer_any

from . import selectors


class MyWorkView(ViewerMixin, TemplateView):
    """What waits for the user and their organization at every table they sit at, each item linked.

    Its marking is the narrowest of what it names: the table's own records are TLP:GREEN, and a resource
    or an incident brings its own marking.
    """

    template_name = "mywork/my_work.html"

    def get_context_data(self, **kwargs):
        viewer = self.viewer
        communities, sections = selectors.my_work(viewer=viewer)
        names = {community.pk: community for community in communities}
        for incident in sections["incidents"].rows:
            incident.community_shown = names.get(incident.community_id)
        # An item links to its form only for those the form lets in (an organization's admins, co-chairs):
        # a member sees what waits for the organization, and whom to ask. The needs assessments are those of
        # the viewer's own tables, all among `communities`.
        for assessment in sections["needs"].rows:
            assessment.may_answer = can_answer_any(viewer, names[assessment.community_id])
        for community in sections["hazards"].rows:
            community.may_assess = can_assess_any(viewer, community)
        marked = [*sections["resources"].rows, *sections["incidents"].rows]
        return super().get_context_data(
            my_communities=communities,
            sections=sections,
            has_organization=viewer.organization_id is not None,
            is_facilitator=viewer.is_facilitator,
            can_see_progress_table=can_see_progress_table(viewer),
            tlp_marking=narrowest([TLP.GREEN, *(record_marking(r) for r in marked)]),
            **kwargs,
        )
