"""An issue's endorsements drawn in Python (`agenda.tables`) are the markup its template drew, byte for byte."""

import pytest
from django.template import Context, Template
from django.utils import translation

from commonground.agenda import selectors, services
from commonground.agenda.tables import endorsement_rows
from commonground.core.viewer import viewer_for

from .factories import propose

NASTY = "<b>\"Tom's\" & Jerry's</b>"

# The rows as `agenda/issue_detail.html` drew them before `agenda.tables.endorsement_rows`.
TEMPLATE_ENDORSEMENT_ROWS = """{% load i18n %}{% for e in endorsements %}
  <tr><th scope="row" data-label="{% translate 'Organization' %}">{{ e.organization.name }}</th><td data-label="{% translate 'Sector' %}">{{ e.organization.get_sector_display }}</td><td data-label="{% translate 'Severity' %}">{{ e.get_severity_display }}</td><td data-label="{% translate 'Comment' %}">{{ e.comment }}</td></tr>
  {% empty %}<tr><td colspan="4">{% translate "No endorsement yet." %}</td></tr>{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_endorsement_rows_are_what_the_template_drew(table, language):
    """Both sectors, two severities, a comment and a name that markup must escape; and no endorsement at all."""
    table.public_org.name = NASTY
    table.public_org.save()
    issue = propose(table, severity=2)
    services.endorsement_save(
        actor=table.cochair, issue=issue, organization=table.public_org, severity=5, comment=NASTY
    )
    endorsements = selectors.endorsement_list(viewer=viewer_for(table.cochair), issue=issue)
    assert endorsements.count() == 2
    with translation.override(language):
        for shown in (list(endorsements), []):
            drawn = endorsement_rows(shown)
            assert drawn == Template(TEMPLATE_ENDORSEMENT_ROWS).render(Context({"endorsements": shown}))
    assert drawn.count("No endorsement") == (1 if language == "en" else 0)
    assert (
        endorsement_rows(endorsements).count("&lt;b&gt;&quot;Tom&#x27;s&quot; &amp; Jerry&#x27;s&lt;/b&gt;")
        == 2
    )


def test_the_issue_filters_are_labelled_in_each_request_language(db):
    """The filterset's form class is made once (`ShallowCopyFilterSet`); its labels are still read per request."""
    from commonground.agenda.filtersets import IssueFilterSet
    from commonground.agenda.models import Issue

    expected = {"en": ("Status", "Mission area"), "es": ("Estado", "Área de misión")}
    for language in ("en", "es", "en"):
        with translation.override(language):
            form = IssueFilterSet({}, queryset=Issue.objects.all()).form
            assert (str(form["status"].label), str(form["mission_area"].label)) == expected[language]


def test_the_issue_page_reads_its_endorsements_in_one_query_however_many(table):
    """The endorsements are read with only what their rows show: no field of theirs is read again row by row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commonground.communities.tests.factories import MembershipFactory
    from commonground.core.testing import page_client
    from commonground.registry.tests.factories import OrganizationFactory

    issue = propose(table, severity=2)
    client = page_client(table.cochair)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/issues/{issue.pk}/").status_code == 200
        return len(captured)

    one = queries()
    for number in range(3):
        organization = OrganizationFactory(name=f"Endorser {number}", sector="private")
        MembershipFactory(community=table.community, organization=organization)
        services.endorsement_save(actor=table.cochair, issue=issue, organization=organization, severity=3)
    assert queries() == one
