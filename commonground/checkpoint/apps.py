from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def panel_context(viewer, community) -> dict:
    """The dashboard's link to the checkpoint page (open to anyone: it reads nothing)."""
    return {"community": community}


class CheckpointConfig(AppConfig):
    """The offline checkpoint page: an officer at a perimeter checks re-entry credentials with no network."""

    name = "commonground.checkpoint"
    label = "checkpoint"
    verbose_name = _("Checkpoint")

    def ready(self):
        from commonground.communities import progress

        progress.register_panel("checkpoint/_checkpoint_panel.html", panel_context)
