from commonground.communities.commands import ReminderCommand
from commonground.resources.reminders import remind_stale_resources


class Command(ReminderCommand):
    help = "Mail organizations the resources they have not verified lately; run it daily (cron or a timer)."
    remind = remind_stale_resources

    def summary(self, report) -> str:
        return f"{report.resources} stale resource(s) of {report.organizations} organization(s)"
