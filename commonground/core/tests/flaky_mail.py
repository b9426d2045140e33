"""Mail backends for the queue's tests: one that fails the sends it is told to, one whose server is always down."""

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """Deliver to the outbox, or refuse, each mail as `FlakyBackend.plan` says in turn ("ok" or "down"); every
    mail once the plan is used up is delivered."""

    plan: list[str] = []

    def send_messages(self, messages):
        sent = 0
        for message in messages:
            if FlakyBackend.plan and FlakyBackend.plan.pop(0) == "down":
                raise ConnectionRefusedError("the mail server refused the connection")
            sent += super().send_messages([message])
        return sent


class DownBackend(FileBackend):
    """A mail server that is always down (for a worker in another process)."""

    def open(self):
        raise ConnectionRefusedError("the mail server refused the connection")
