"""A resource's edit page: the resource read by SQL kept for its reader (`selectors.visible_resource`), and the
people its three selects offer read once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.resources import selectors
from commonground.resources.models import Resource
from commonground.resources.tests.factories import ResourceFactory


def red_resource(table) -> Resource:
    """A TLP:RED resource of the private organization, marked for the co-chair, one of its members and the public
    organization."""
    resource = ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.RED)
    resource.recipient_people.set([table.cochair.person, table.member.person])
    resource.recipient_organizations.set([table.public_org])
    return resource


def test_the_edit_page_shows_who_a_resource_is_marked_for(table):
    resource = red_resource(table)
    html = page_client(table.cochair).get(f"/resources/{resource.pk}/edit/").content.decode()
    person, organization = table.member.person.pk, table.public_org.pk
    assert (
        f'<option value="{person}" selected>'
        in html.split('name="recipient_people"')[1].split("</select>")[0]
    )
    assert f'<option value="{organization}" selected>' in html.split('name="recipient_organizations"')[1]


def test_a_resource_the_reader_may_not_see_is_not_found_after_one_who_may_opened_it(table):
    """The kept SQL is the reader's: the private organization's admin may change its resources but not read a
    TLP:RED one marked for someone else, whoever read it before."""
    resource = red_resource(table)
    assert page_client(table.cochair).get(f"/resources/{resource.pk}/edit/").status_code == 200
    assert page_client(table.admin).get(f"/resources/{resource.pk}/edit/").status_code == 404
    green = ResourceFactory(community=table.community, organization=table.private_org)
    assert page_client(table.admin).get(f"/resources/{green.pk}/edit/").status_code == 200


def test_visible_resource_is_the_row_the_list_reads(table):
    from commonground.core.viewer import viewer_for

    resource = red_resource(table)
    viewer = viewer_for(table.cochair)
    for _ in range(2):  # compiled, then kept
        found = selectors.visible_resource(viewer=viewer, pk=resource.pk)
        expected = selectors.resource_list(viewer=viewer).get(pk=resource.pk)
        fields = [f.attname for f in Resource._meta.concrete_fields]
        assert [getattr(found, name) for name in fields] == [getattr(expected, name) for name in fields]
        assert found.community == expected.community and found.organization.name == expected.organization.name
        assert [p.pk for p in found.recipient_people.all()] == [p.pk for p in expected.recipient_people.all()]
        assert len(found.recipient_people.all()) == 2
    assert selectors.visible_resource(viewer=viewer_for(table.admin), pk=resource.pk) is None
    assert selectors.visible_resource(viewer=viewer, pk=resource.pk + 1000) is None


def test_the_edit_page_reads_the_people_once_for_its_three_selects(table):
    resource = ResourceFactory(community=table.community, organization=table.private_org)
    client = page_client(table.cochair)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/resources/{resource.pk}/edit/")
    assert response.status_code == 200
    people = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "registry_person"."id"')
    ]
    assert len(people) == 1
    html = response.content.decode()
    for name in ("person", "contact", "recipient_people"):
        assert f"{table.member.person}</option>" in html.split(f'name="{name}"')[1].split("</select>")[0]


def test_the_form_draws_its_other_widgets_in_python(table):
    """Its text area, date, checkbox and place input, and the date's hidden initial value, are `core.widgets`' (the
    same HTML as Django's templates: `core.tests.test_widgets`)."""
    from commonground.core import widgets
    from commonground.registry.models import Organization, Person
    from commonground.resources.forms import ResourceForm
    from commonground.resources.models import Resource as Model

    form = ResourceForm(
        organizations=Organization.objects.all(),
        people=Person.objects.none(),
        peers=Organization.objects.none(),
    )
    kinds = {name: type(field.widget) for name, field in form.fields.items()}
    assert kinds["description"] is widgets.Textarea and kinds["verified_on"] is widgets.DateInput
    assert kinds["disclosed_in_incidents"] is widgets.CheckboxInput and kinds["place"] is widgets.TextInput
    assert form.fields["verified_on"].show_hidden_initial
    assert form.fields["verified_on"].hidden_widget is widgets.HiddenInput
    assert Model._meta.get_field("verified_on").has_default()
