import datetime

from django.contrib.auth.models import AnonymousUser

from commonground.core.testing import page_client
from commonground.core.viewer import viewer_for
from commonground.sustainability import services
from commonground.sustainability.models import NeedsItem


def _assessment(community, actor, title):
    return services.needs_assessment_open(
        actor=actor, community=community, title=title, closes_on=datetime.date(2099, 1, 1)
    )


def test_needs_items_are_visible_only_with_their_assessment(table):
    here = _assessment(table.community, table.cochair, "Riverbend needs")
    there = _assessment(table.other_community, table.facilitator, "Elsewhere needs")
    here_ids = set(here.items.values_list("pk", flat=True))
    there_ids = set(there.items.values_list("pk", flat=True))
    for role, expected in [
        ("facilitator", here_ids | there_ids),
        ("cochair", here_ids),
        ("admin", here_ids),
        ("member", here_ids),
        ("outsider", there_ids),
    ]:
        visible = set(NeedsItem.objects.visible_to(viewer_for(table.user(role))).values_list("pk", flat=True))
        assert visible == expected, role
    assert not NeedsItem.objects.visible_to(viewer_for(AnonymousUser())).exists()


def test_the_goal_form_offers_only_needs_items_the_cochair_may_see(table):
    here = _assessment(table.community, table.cochair, "Riverbend needs")
    there = _assessment(table.other_community, table.facilitator, "Elsewhere needs")
    marker = "NEEDS-ITEM-MARKER-ELSEWHERE"
    there.items.update(text=marker)
    response = page_client(table.cochair).get("/c/riverbend/goals/new/")
    offered = set(response.context["form"].fields["needs"].queryset.values_list("pk", flat=True))
    assert offered == set(here.items.values_list("pk", flat=True))
    assert marker not in response.content.decode()
