from commonground.communities.commands import CommunityCommand
from commonground.communities.models import Community
from commonground.program.services import progress_refresh
from commonground.program.tasks import warm_visitor_figures


class Command(CommunityCommand):
    help = (
        "Compute every community's (or --community's) progress through the six steps now, for the program's "
        "tables, and settle a visitor's figures into the cache. Run it daily; the facilitators' page can also ask "
        "the worker for it."
    )

    def run(self, *, community, dry_run):
        communities = [community] if community else list(Community.objects.order_by("pk"))
        if dry_run:
            return f"{len(communities)} community(ies) would be computed."
        for each in communities:
            progress_refresh(community=each)
        warm_visitor_figures()
        return f"{len(communities)} community(ies) computed."
