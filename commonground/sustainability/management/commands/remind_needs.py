from commonground.communities.commands import CommunityCommand
from commonground.sustainability.reminders import remind_needs


class Command(CommunityCommand):
    help = "Mail organizations that have not answered an open needs assessment; run it daily."

    def run(self, *, community, dry_run):
        report = remind_needs(community=community, dry_run=dry_run)
        return (
            f"{report.items} open assessment(s); {report.organizations} organization(s) have not answered; "
            f"{report.mails} reminder(s) {'would be' if dry_run else 'were'} sent."
        )
