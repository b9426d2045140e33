from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.timezones import validate_time_zone


class OperatorUserManager(UserManager):
    """Make the installation's operator (`commonground createsuperuser`) a facilitator.

    An operator with no role would see no community and could create none: the first facilitator is
    the one the installation starts from, and names the others (`commonground facilitator add`).
    """

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_facilitator", True)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A login. Facilitators are program staff who start and watch partnerships site-wide."""

    is_facilitator = models.BooleanField(
        _("facilitator"),
        default=False,
        help_text=_("Program staff: may create communities and watch every community's progress."),
    )
    # A code of settings.LANGUAGES; checked against the languages offered when it is set (they vary by
    # installation: core.catalogues), so no choices here.
    language = models.CharField(_("language"), max_length=10, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Leave empty to read each community's times on its own clock."),
    )
    # The optional kinds of mail (choices.MailKind) this user turned off.
    mail_unwanted = models.JSONField(_("e-mails not wanted"), default=list, blank=True)
    # When the address last changed through a confirmation link: links asked for before it no longer work,
    # even when the address has come back to the one they were asked from (A -> B -> A).
    email_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = OperatorUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class SignedInSession(models.Model):
    """One browser signed in as a user: what the profile lists and can end (the session store keeps the rest)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="signed_in_sessions", on_delete=models.CASCADE
    )
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(_("device"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    signed_in_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-last_seen", "-pk"]
        verbose_name = _("signed-in session")

    def __str__(self) -> str:
        return f"{self.user} ({self.user_agent[:60] or '?'})"


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None):
        """The tokens in force at `now` (the present when not given; a kept statement's slot, `token_query`)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now() if now is None else now)


class ApiToken(models.Model):
    """A named key a user gives a program to call the API as them, until it expires or is revoked.

    Only the key's SHA-256 is kept: the key is shown once, when it is made.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="api_tokens", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("begins with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
