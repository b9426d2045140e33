from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Facilitators are program staff who start and watch partnerships site-wide."""

    is_facilitator = models.BooleanField(
        _("facilitator"),
        default=False,
        help_text=_("Program staff: may create communities and watch every community's progress."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username
