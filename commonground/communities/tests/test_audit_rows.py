"""The record of changes' rows drawn in Python (`audit_rows`) are what the template's loop wrote, byte for byte."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.registry.models import Person
from commonground.resources.models import Resource

pytestmark = pytest.mark.django_db

NASTY = "<b>\"Tom's\" & Jerry's</b>"

# The rows as `communities/audit_log.html` drew them before `audit_rows`.
TEMPLATE_ROWS = """{% load i18n audit_changes %}{% translate "When" as when %}{% translate "Who" as who %}{% translate "What" as what %}{% translate "Record" as record %}{% translate "Changes" as changes %}
  {% for entry in page_obj %}
  <tr><td data-label="{{ when }}">{{ entry.at|date:"Y-m-d H:i" }}</td><td data-label="{{ who }}">{{ entry.actor_repr }}</td><td data-label="{{ what }}">{{ entry.get_action_display }} {{ entry.content_type.model }}</td><td data-label="{{ record }}">{{ entry.object_repr }}</td>
  <td data-label="{{ changes }}">{% if not entry.marking_visible and not entry.whole_record %}<p class="usa-hint">{% blocktranslate with marking=entry.tlp %}Values under {{ marking }} are withheld: you may not see them.{% endblocktranslate %}</p>{% endif %}{% changes_list entry %}</td></tr>
  {% empty %}<tr><td colspan="5">{% translate "No changes recorded." %}</td></tr>{% endfor %}"""  # noqa: E501


def entry(model, *, action, tlp, whole_record, marking_visible, changes, minute):
    made = AuditEntry(
        at=datetime.datetime(2026, 7, 1, 3, minute, tzinfo=datetime.UTC), actor_repr=NASTY, action=action,
        content_type=ContentType.objects.get_for_model(model), object_repr=f"Record {NASTY}", tlp=tlp,
        whole_record=whole_record, changes=changes,
    )  # fmt: skip
    made.marking_visible = marking_visible
    return made


def entries():
    changes = {"email": [None, "a@example.org"], "last_name": ["Old <one>", NASTY], "count": [1234567, 2.5],
               "kinds": [[], ["a", "b"]], "empty": [], "flag": [True, 1], "ratio": [1, 1.0]}  # fmt: skip
    return [
        entry(Person, action="update", tlp=TLP.AMBER, whole_record=False, marking_visible=False,
              changes=changes, minute=5),
        entry(Person, action="create", tlp=TLP.GREEN, whole_record=False, marking_visible=True,
              changes=changes, minute=59),
        entry(Resource, action="delete", tlp=TLP.AMBER_STRICT, whole_record=True, marking_visible=False,
              changes={"name": ["Generator", None]}, minute=0),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("zone", ["UTC", "America/Detroit"])
@pytest.mark.parametrize("empty", [False, True])
@pytest.mark.parametrize("grouping", [False, True])
def test_the_rows_are_what_the_template_drew(language, zone, empty, grouping):
    page = [] if empty else entries()
    with (
        translation.override(language),
        timezone.override(zone),
        override_settings(USE_THOUSAND_SEPARATOR=grouping),
    ):
        theirs = Template(TEMPLATE_ROWS).render(Context({"page_obj": page}))
        ours = Template("{% load audit_changes %}\n  {% audit_rows page_obj %}").render(
            Context({"page_obj": page})
        )
    assert ours == theirs
    assert ours.count("usa-hint") == (0 if empty else 1)  # the entry whose values are withheld says so


ROLES = ("cochair", "facilitator", "admin", "other_admin", "member")


def test_each_reader_in_turn_reads_the_entries_and_values_their_own_query_gives(table):
    """The kept query is the reader's: one built for another (who may see other entries, or other values) is
    never given to them."""
    from commonground.communities.selectors import audit_entry_list
    from commonground.core.viewer import viewer_for
    from commonground.registry.services import person_update
    from commonground.resources.services import resource_create

    for tlp in (TLP.GREEN, TLP.AMBER_STRICT):
        resource_create(
            actor=table.admin, community=table.community, organization=table.private_org, name=f"Pump {tlp}",
            description="", kind="equipment", category="esf12", quantity=1, latitude=42.7, longitude=-84.5, tlp=tlp,
        )  # fmt: skip
    person = table.member.person
    person_update(
        actor=table.member, person=person, data={"email": "marked@example.org", "contact_tlp": TLP.RED}
    )
    seen = {}
    for _round in range(2):
        for role in ROLES:
            viewer = viewer_for(table.user(role))
            kept = audit_entry_list(viewer=viewer, community=table.community)
            scope = Q(community_id=table.community.pk) | Q(
                organization_id__in=table.community.memberships.values("organization_id")
            )
            fresh = AuditEntry.objects.visible_to(viewer).filter(scope)
            rows = set(kept.values_list("pk", "marking_visible"))
            assert {pk for pk, _visible in rows} == set(fresh.values_list("pk", flat=True)), role
            for pk, visible in rows:
                entry = AuditEntry.objects.filter(pk=pk).annotate_marking_visible(viewer).get()
                assert visible == entry.marking_visible, (role, pk)
            seen.setdefault(role, rows)
            assert seen[role] == rows
    assert (
        len({frozenset(rows) for rows in seen.values()}) > 2
    )  # the readers read different entries or values
