from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """The import page, the export downloads and the `import` and `export` commands, for every step's kinds."""

    name = "commonground.exchange"
    label = "exchange"
    verbose_name = _("Import and export")
