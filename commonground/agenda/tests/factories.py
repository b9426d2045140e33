from commonground.agenda import services
from commonground.risks.models import Hazard

SPECIFIC = {
    "title": "Fuel for generators when the interstate closes",
    "description": "In a winter storm the interstate closes and fuel deliveries stop; hospitals, the water plant and "
    "grocery distribution run generators that last two days.",
    "mission_area": "response",
    "outcome": "A shared fuel priority list and two supplier agreements in place before winter.",
}


def propose(table, *, actor="admin", organization=None, severity=3, **data):
    """Propose a specific issue about winter weather as a user of the table (by role name) or the system (None)."""
    return services.issue_propose(
        actor=getattr(table, actor) if isinstance(actor, str) else actor,
        community=table.community,
        organization=organization or table.private_org,
        hazards=data.pop("hazards", [Hazard.objects.get(community=None, code="winter_weather")]),
        severity=severity,
        **{**SPECIFIC, **data},
    )
