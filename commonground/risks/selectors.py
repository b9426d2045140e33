"""Reads of step 5: hazards, critical functions and assessments, as the viewer may see them."""

from django.db.models import QuerySet

from commonground.core.aggregates import Figure, count_organizations, disclosed_figures
from commonground.core.visibility import Viewer
from commonground.registry.models import Organization

from .models import CriticalFunction, Hazard, HazardAssessment


def hazard_list(*, viewer: Viewer, community=None) -> QuerySet[Hazard]:
    """Return the hazards the viewer may see; for a community, the catalogue and that community's own."""
    queryset = Hazard.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.for_community(community)
    return queryset.select_related("community")


def function_list(*, viewer: Viewer, community=None) -> QuerySet[CriticalFunction]:
    """Return the critical functions whose marking lets the viewer see them."""
    queryset = CriticalFunction.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.in_community(community)
    return queryset.select_related("organization", "community")


def hazard_assessment_list(*, viewer: Viewer, community=None) -> QuerySet[HazardAssessment]:
    """Return the hazard assessments whose marking lets the viewer see them, one by one."""
    queryset = HazardAssessment.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.in_community(community)
    return queryset.select_related("organization", "hazard", "community")


def assessed_organizations(*, viewer: Viewer, community) -> tuple[Figure, int]:
    """Return (the figure of organizations that have assessed a hazard, as the viewer may see it,
    the organizations at the table)."""
    members = Organization.objects.in_community(community)

    def assessments():
        return HazardAssessment.objects.in_community(community.pk).filter(
            organization__in=members.values("pk")
        )

    measures = {"assessed": count_organizations()}
    assessed = disclosed_figures(assessments, viewer, measures, key=("assessed", community.pk))[None][
        "assessed"
    ]
    return assessed, members.count()
