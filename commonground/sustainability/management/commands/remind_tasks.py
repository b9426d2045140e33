from commonground.communities.commands import ReminderCommand
from commonground.sustainability.reminders import remind_tasks


class Command(ReminderCommand):
    help = "Mail the owners of open tasks due within a week or overdue; run it daily."
    remind = remind_tasks

    def summary(self, report) -> str:
        return f"{report.items} task(s) due or overdue of {report.organizations} organization(s)"
