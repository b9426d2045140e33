from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "commonground.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from commonground.core.backup import register_backup
        from commonground.core.exchange import register_export
        from commonground.resources.disclosure import register_disclosure_audience

        from . import backup, exports
        from .models import (
            Alert,
            Assignment,
            Incident,
            OperationalPeriod,
            Plan,
            ResourceRequest,
            TimelineEntry,
        )
        from .selectors import disclosure_audience

        register_disclosure_audience(disclosure_audience)
        register_backup(
            Incident, OperationalPeriod, ResourceRequest, Plan, Assignment, TimelineEntry, Alert,
            community_scope=backup.community_scope,
        )  # fmt: skip
        register_export("resource_requests", exports.requests_export)
        register_export("commitments", exports.commitments_export)
