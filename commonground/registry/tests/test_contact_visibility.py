from django.contrib.auth.models import AnonymousUser

from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry.models import Person
from commonground.registry.tests.factories import PersonFactory


def test_shown_contacts_blank_the_details_a_viewer_may_not_see_and_the_marking_follows_what_shows(table):
    red = PersonFactory(
        organization=table.private_org, contact_tlp=TLP.RED, email="red-marker@example.org", phone="555-0101"
    )
    amber = PersonFactory(organization=table.private_org, contact_tlp=TLP.AMBER, email="amber@example.org")
    people = Person.objects.filter(pk__in=[red.pk, amber.pk])
    for role in ("facilitator", "cochair", "admin", "other_admin", "member", "outsider"):
        viewer = viewer_for(table.user(role))
        rows = dict(people.with_shown_contacts(viewer).values_list("pk", "shown_email"))
        visible = {p.pk for p in people.with_contact_visibility(viewer) if p.contact_visible}
        assert rows[red.pk] == ("red-marker@example.org" if red.pk in visible else ""), role
        assert rows[amber.pk] == ("amber@example.org" if amber.pk in visible else ""), role
        shown = [p.contact_tlp for p in (red, amber) if p.pk in visible]
        expected = TLP.RED if TLP.RED in shown else TLP.AMBER if shown else TLP.GREEN
        assert people.contact_marking(viewer) == expected, role
    anonymous = viewer_for(AnonymousUser())
    assert set(people.with_shown_contacts(anonymous).values_list("shown_email", flat=True)) == {""}
    assert people.contact_marking(anonymous) == TLP.GREEN
