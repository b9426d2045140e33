from commonground.communities.commands import CommunityCommand
from commonground.resources.reminders import remind_stale_resources


class Command(CommunityCommand):
    help = "Mail organizations the resources they have not verified lately; run it daily (cron or a timer)."

    def run(self, *, community, dry_run):
        report = remind_stale_resources(community=community, dry_run=dry_run)
        return (
            f"{report.resources} stale resource(s) of {report.organizations} organization(s); "
            f"{report.mails} reminder(s) {'would be' if dry_run else 'were'} sent."
        )
