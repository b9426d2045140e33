from commonground.communities.commands import ReminderCommand
from commonground.sustainability.reminders import remind_needs


class Command(ReminderCommand):
    help = "Mail organizations that have not answered an open needs assessment; run it daily."
    remind = remind_needs

    def summary(self, report) -> str:
        return f"{report.items} open assessment(s); {report.organizations} organization(s) have not answered"
