from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    objects = OperatorUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username
