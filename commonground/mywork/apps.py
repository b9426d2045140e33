from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MyWorkConfig(AppConfig):
    """The page each logged-in user lands on: what waits for them and their organization across the steps."""

    name = "commonground.mywork"
    label = "mywork"
    verbose_name = _("My work")
