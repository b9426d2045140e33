"""Reads of step 5: hazards, critical functions and assessments, as the viewer may see them."""

from django.db.models import QuerySet

from commonground.agenda.selectors import issue_list
from commonground.core.aggregates import Figure, count_organizations, disclosed_figures
from commonground.core.kept_pages import name_list
from commonground.core.kept_rows import kept_rows, visible_by_key
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


def assessment_page_list(
    *, viewer: Viewer, community, fields: tuple[str, ...], hazard: Hazard | None = None
) -> QuerySet[HazardAssessment]:
    """The assessments a page lists, of one hazard or all, by organization (then hazard), with only `fields` (what
    its rows read, the order's keys among them), named by what it is made of (`core.kept_pages`) so that its
    pages' SQL is kept."""
    queryset = hazard_assessment_list(viewer=viewer, community=community)
    if hazard is not None:
        queryset = queryset.filter(hazard_id=hazard.pk)
    queryset = queryset.order_by("organization__name", "hazard__name", "pk").only(*fields)
    name = ("assessment page", viewer, community.pk, None if hazard is None else hazard.pk, fields)
    return name_list(queryset, name)


def visible_hazard(*, viewer: Viewer, community, pk) -> Hazard | None:
    """The hazard of key `pk` among those the viewer may see at the community (None if not), by SQL kept for them
    (`core.kept_rows.visible_by_key`)."""
    return visible_by_key(
        "visible hazard", (viewer, community.pk), lambda: hazard_list(viewer=viewer, community=community), pk
    )


def hazard_issues(*, viewer: Viewer, community, hazard: Hazard) -> list:
    """The issues the viewer may see that name the hazard (their key, title and status: what a list of them
    shows), by SQL kept for the viewer, the community and the hazard."""
    return kept_rows(
        ("hazard issues", viewer, community.pk, hazard.pk),
        lambda: (
            issue_list(viewer=viewer, community=community)
            .filter(hazards=hazard.pk)
            .select_related(None)
            .only("pk", "title", "status")
        ),
    )


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
