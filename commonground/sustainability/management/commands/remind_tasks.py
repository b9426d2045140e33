from commonground.communities.commands import CommunityCommand
from commonground.sustainability.reminders import remind_tasks


class Command(CommunityCommand):
    help = "Mail the owners of open tasks due within a week or overdue; run it daily."

    def run(self, *, community, dry_run):
        report = remind_tasks(community=community, dry_run=dry_run)
        return (
            f"{report.items} task(s) due or overdue of {report.organizations} organization(s); "
            f"{report.mails} reminder(s) {'would be' if dry_run else 'were'} sent."
        )
