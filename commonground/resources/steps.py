"""Step 4 of the Partnership Model, judged from the resource database."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED, StepState
from commonground.core.aggregates import count_records, disclosed_figures, table_member
from commonground.registry.choices import PRIVATE_SIDE, Sector

from .choices import CATEGORY_CHOICES
from .models import Resource


def resources_step(community) -> StepState:
    """Step 4 is done when both sectors record resources, including some the public sector lacks.

    Resources are marked: each category's count per side is taken as a plain member of the table sees it
    (`communities.progress`), so one organization's restricted resource moves neither status nor line.
    """
    measures = {
        "public": count_records(Q(organization__sector=Sector.PUBLIC)),
        "private": count_records(Q(organization__sector__in=PRIVATE_SIDE)),
    }
    figures = disclosed_figures(
        Resource.objects.in_community(community), table_member(community.pk), measures, group_by="category"
    )
    sides = {
        code: (figures[code]["public"].value, figures[code]["private"].value)
        for code, _label in CATEGORY_CHOICES
    }
    held = [code for code, (public, private) in sides.items() if public or private]
    private_only = [code for code, (public, private) in sides.items() if private and not public]
    missing = []
    if not any(public for public, _private in sides.values()):
        missing.append(_("resources recorded by public-sector organizations"))
    if not any(private for _public, private in sides.values()):
        missing.append(_("resources recorded by private-sector or non-profit organizations"))
    if not missing and not private_only:
        missing.append(_("a resource in a category where public bodies hold none"))
    status = DONE if not missing else (IN_PROGRESS if held else NOT_STARTED)
    summary = _(
        "%(held)d of %(all)d support functions have resources; the private side alone covers %(added)d."
    ) % {"held": len(held), "all": len(sides), "added": len(private_only)}
    return StepState(4, status, summary, missing, reverse("resources:resources", args=[community.slug]))
