import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.agenda import selectors, services
from commonground.agenda.models import Endorsement, Issue
from commonground.agenda.steps import common_issues_step
from commonground.communities.progress import DONE, IN_PROGRESS, NOT_STARTED
from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for

from .factories import propose


def test_a_member_proposes_a_specific_issue_and_their_organization_endorses_it(table):
    issue = propose(table, actor="member", severity=4)
    assert (issue.status, issue.organization, issue.tlp) == ("proposed", table.private_org, TLP.GREEN)
    assert issue.proposed_by == table.member.person
    [endorsement] = issue.endorsements.all()
    assert (endorsement.organization, endorsement.severity) == (table.private_org, 4)
    assert AuditEntry.objects.filter(object_id=str(issue.pk), action="create").exists()


@pytest.mark.parametrize(
    "vague, field, says",
    [
        ({"hazards": [], "situation": ""}, "hazards", "Name the hazards"),
        ({"description": "Things could go wrong."}, "description", "who is affected"),
        ({"mission_area": ""}, "mission_area", "planning, mitigation, response or recovery"),
        ({"outcome": "Be ready."}, "outcome", "what would be true"),
    ],
)
def test_a_vague_proposal_is_refused_with_what_to_add(table, vague, field, says):
    with pytest.raises(ValidationError) as error:
        propose(table, **vague)
    assert says in " ".join(error.value.message_dict[field])
    assert not Issue.objects.exists() and not Endorsement.objects.exists()


def test_a_situation_may_stand_in_for_a_hazard(table):
    issue = propose(table, hazards=[], situation="A shelter opening while the interstate is closed")
    assert issue.situation and not issue.hazards.exists()


def test_an_outsider_cannot_propose_or_endorse(table):
    with pytest.raises(PermissionDenied):
        propose(table, actor="outsider", organization=table.outside_org)
    issue = propose(table)
    with pytest.raises(PermissionDenied):
        services.endorsement_save(
            actor=table.outsider, issue=issue, organization=table.outside_org, severity=2
        )
    with pytest.raises(PermissionDenied):  # a member speaks for their own organization only
        services.endorsement_save(actor=table.member, issue=issue, organization=table.public_org, severity=2)


def test_endorsing_again_changes_the_severity_and_withdrawing_removes_it(table):
    issue = propose(table)
    services.endorsement_save(actor=table.other_admin, issue=issue, organization=table.public_org, severity=2)
    services.endorsement_save(
        actor=table.other_admin, issue=issue, organization=table.public_org, severity=5, comment="Worse"
    )
    endorsement = issue.endorsements.get(organization=table.public_org)
    assert (endorsement.severity, endorsement.comment) == (5, "Worse")
    assert AuditEntry.objects.filter(object_id=str(endorsement.pk), action="update").exists()
    services.endorsement_withdraw(actor=table.other_admin, endorsement=endorsement)
    assert not issue.endorsements.filter(organization=table.public_org).exists()


def test_co_chairs_adopt_and_set_aside_with_a_reason_and_endorsers_hear_of_it(
    table, mailoutbox, django_capture_on_commit_callbacks
):
    issue = propose(table, actor="member")
    services.endorsement_save(actor=table.other_admin, issue=issue, organization=table.public_org, severity=3)
    with pytest.raises(PermissionDenied):
        services.issue_decide(actor=table.member, issue=issue, decision="adopt")
    with pytest.raises(ValidationError) as error:
        services.issue_decide(actor=table.cochair, issue=issue, decision="set_aside")
    assert "reason" in error.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_decide(
            actor=table.cochair, issue=issue, decision="set_aside", reason="Covered by the county plan"
        )
    issue.refresh_from_db()
    assert (issue.status, issue.decision_reason) == ("set_aside", "Covered by the county plan")
    with pytest.raises(ValidationError):
        services.endorsement_save(actor=table.admin, issue=issue, organization=table.private_org, severity=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_decide(actor=table.cochair, issue=issue, decision="adopt")
    assert Issue.objects.get(pk=issue.pk).status == "adopted"
    recipients = {address for message in mail.outbox for address in message.to}
    assert table.member.person.email in recipients and table.other_admin.person.email in recipients
    assert any("Covered by the county plan" in m.body for m in mail.outbox)


def test_merging_carries_endorsements_over_keeping_the_higher_severity(table):
    keep = propose(table, severity=2)
    duplicate = propose(table, actor="other_admin", organization=table.public_org, severity=4,
                        title="Generator fuel in a long storm")  # fmt: skip
    services.endorsement_save(actor=table.admin, issue=duplicate, organization=table.private_org, severity=5)
    services.issue_merge(actor=table.cochair, issue=duplicate, into=keep)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("merged", keep)
    severities = dict(keep.endorsements.values_list("organization__name", "severity"))
    assert severities == {"Great Lakes Logistics": 5, "Riverbend Fire": 4}
    with pytest.raises(ValidationError):
        services.issue_merge(actor=table.cochair, issue=keep, into=keep)


def test_a_comment_is_mailed_to_the_endorsers_but_not_its_author(
    table, mailoutbox, django_capture_on_commit_callbacks
):
    issue = propose(table, actor="member")
    services.endorsement_save(actor=table.other_admin, issue=issue, organization=table.public_org, severity=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(
            actor=table.other_admin, issue=issue, body="Our stations carry 48 hours of diesel."
        )
    [message] = mailoutbox
    assert message.to == [table.member.person.email] and "48 hours of diesel" in message.body
    assert "TLP:GREEN" in message.subject


def test_an_outsider_does_not_see_the_issue(table):
    issue = propose(table)
    assert selectors.issue_list(viewer=viewer_for(table.member)).filter(pk=issue.pk).exists()
    assert not selectors.issue_list(viewer=viewer_for(table.outsider)).filter(pk=issue.pk).exists()


def test_step_3_is_done_when_an_adopted_issue_is_endorsed_by_both_sectors(table):
    assert common_issues_step(table.community).status == NOT_STARTED
    issue = propose(table)
    services.issue_decide(actor=table.cochair, issue=issue, decision="adopt")
    assert common_issues_step(table.community).status == IN_PROGRESS  # private side only
    services.endorsement_save(actor=table.other_admin, issue=issue, organization=table.public_org, severity=3)
    state = common_issues_step(table.community)
    assert state.status == DONE and "1 of them endorsed by both sectors" in state.summary


def test_a_facilitators_comment_carries_their_name(table):
    issue = propose(table)
    table.facilitator.first_name, table.facilitator.last_name = "Fran", "Okoye"
    table.facilitator.save()
    comment = services.comment_add(
        actor=table.facilitator, issue=issue, body="Program staff can host the workshop."
    )
    assert comment.author is None and comment.author_name == "Fran Okoye"


def test_the_endorse_form_reads_its_organizations_once_before_drawing_them(table, django_assert_num_queries):
    from commonground.agenda.forms import EndorseForm
    from commonground.registry.models import Organization

    with django_assert_num_queries(1):
        only = EndorseForm(organizations=Organization.objects.filter(pk=table.public_org.pk))
    assert only.has_choices and only.fields["organization"].initial == table.public_org.pk
    with django_assert_num_queries(1):
        none = EndorseForm(organizations=Organization.objects.none() | Organization.objects.filter(pk=0))
    assert not none.has_choices


def test_the_merge_form_reads_its_targets_once_to_ask_and_draw(table, django_assert_num_queries):
    from commonground.agenda.forms import MergeForm

    first, second = propose(table), propose(table, title="Water for the shelters when the mains fail")
    form = MergeForm(targets=Issue.objects.exclude(pk=first.pk))
    with django_assert_num_queries(1):
        assert form.has_targets()
        drawn = str(form)
    assert f'value="{second.pk}"' in drawn and f'value="{first.pk}"' not in drawn
    assert not MergeForm(targets=Issue.objects.filter(pk=0)).has_targets()


def test_the_decided_mail_names_the_issue_merged_into_only_to_those_who_may_see_it(
    table, mailoutbox, django_capture_on_commit_callbacks
):
    """Regression (attacker review): the mail to the people behind a merged issue named the issue it went into,
    though that one may be marked for fewer readers: a TLP:GREEN issue is the table's, and the proposer's
    organization has left the table since."""
    from commonground.communities.models import Membership

    shown = propose(table, actor="member", title="Shelter beds", tlp=TLP.CLEAR)
    services.endorsement_save(actor=table.other_admin, issue=shown, organization=table.public_org, severity=3)
    hidden = propose(table, actor="other_admin", organization=table.public_org, title="MERGEMAIL-5530",
                     tlp=TLP.GREEN)  # fmt: skip
    Membership.objects.filter(community=table.community, organization=table.private_org).delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_merge(actor=table.cochair, issue=shown, into=hidden)
    bodies = {address: message.body for message in mail.outbox for address in message.to}
    assert set(bodies) == {table.member.person.email, table.other_admin.person.email}
    assert "MERGEMAIL-5530" in bodies[table.other_admin.person.email]  # still at the table
    assert "MERGEMAIL-5530" not in bodies[table.member.person.email]
    assert "the issue it was merged into" in bodies[table.member.person.email]
    assert all("MERGEMAIL-5530" not in message.subject for message in mail.outbox)


@pytest.mark.parametrize("tlp", [TLP.CLEAR, TLP.GREEN])
def test_who_sees_an_issue_is_asked_once_for_every_reader_as_each_would_be_asked(
    table, tlp, django_assert_num_queries
):
    """`seen_by` (the decided mail's recipients) answers for each reader what that reader's list answers, in one
    query whatever the number of readers; readers with the same facts are asked once."""
    from commonground.core.viewer import viewers_for

    issue = propose(table, tlp=tlp)
    users = [table.user(role) for role in ("member", "cochair", "outsider", "other_admin", "member")]
    viewers = viewers_for(users)
    expected = {viewer for viewer in viewers if Issue.objects.visible_to(viewer).filter(pk=issue.pk).exists()}
    with django_assert_num_queries(1):
        assert Issue.objects.seen_by(issue.pk, viewers) == expected
    assert Issue.objects.seen_by(issue.pk + 1000, viewers) == set()
    assert Issue.objects.seen_by(issue.pk, []) == set()
