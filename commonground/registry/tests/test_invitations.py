import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commonground.communities.models import CoChair, Membership
from commonground.communities.services import cochair_add
from commonground.core.models import AuditEntry
from commonground.registry import services
from commonground.registry.models import InvitationStatus, Person
from commonground.registry.selectors import invitation_tree
from commonground.registry.tokens import InvalidToken, make_token

# The mails go through the task queue (core.mail); here they are sent at once, as the worker sends them.
pytestmark = pytest.mark.usefixtures("mail_at_once")


def send(table, actor=None, **kwargs):
    defaults = {
        "email": "new@example.org",
        "name": "Nia Brooks",
        "organization_name": "Riverbend Red Cross",
        "suggested_category": "red_cross_voluntary",
    }
    return services.invitation_send(
        actor=actor or table.cochair, community=table.community, **{**defaults, **kwargs}
    )


def accept(token, username="nia", **kwargs):
    organization = kwargs.pop(
        "organization_data",
        {"name": "Riverbend Red Cross", "sector": "nonprofit", "category": "red_cross_voluntary"},
    )
    return services.invitation_accept(
        token=token,
        username=username,
        password="a-long-test-password",
        first_name="Nia",
        last_name="Brooks",
        organization_data=organization,
        **kwargs,
    )


def link_from_mail() -> str:
    return re.search(r"http://testserver(/invite/[^\s]+/)", mail.outbox[-1].body).group(1)


def test_an_invitation_is_mailed_with_a_link_that_registers_the_person_and_organization(
    table, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = send(table)
    assert mail.outbox[-1].to == ["new@example.org"]
    assert mail.outbox[-1].subject.startswith("[TLP:GREEN]")
    token = link_from_mail().split("/")[2]
    person = accept(token)
    assert person.role == "admin"  # the first person of a new organization speaks for it
    assert Membership.objects.filter(
        community=table.community, organization=person.organization, invitation=invitation
    ).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.accepted_person == person


def test_a_used_invitation_cannot_be_used_again(table):
    token = make_token(send(table))
    accept(token)
    with pytest.raises(InvalidToken, match="already been used"):
        accept(token, username="someone-else")


def test_an_expired_invitation_is_refused(table):
    invitation = send(table)
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    with pytest.raises(InvalidToken, match="expired"):
        accept(make_token(invitation))


def test_a_token_older_than_its_lifetime_is_refused(table, settings):
    settings.INVITATION_MAX_AGE_DAYS = -1
    with pytest.raises(InvalidToken, match="expired"):
        accept(make_token(send(table)))


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "BB"), lambda t: "x" + t, lambda t: "garbage"]
)
def test_a_tampered_token_is_refused(table, mangle):
    token = make_token(send(table))
    with pytest.raises(InvalidToken, match="not valid"):
        accept(mangle(token))
    assert not Person.objects.filter(user__username="nia").exists()


def test_a_revoked_invitation_is_refused(table):
    invitation = send(table)
    services.invitation_revoke(actor=table.cochair, invitation=invitation)
    with pytest.raises(InvalidToken, match="withdrawn"):
        accept(make_token(invitation))


def test_a_weak_password_registers_nothing(table):
    token = make_token(send(table))
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(
            token=token,
            username="nia",
            password="123",
            first_name="N",
            last_name="B",
            organization_data={"name": "R", "sector": "nonprofit", "category": "red_cross_voluntary"},
        )
    assert "password" in error.value.message_dict
    assert not Person.objects.filter(first_name="N").exists()


def test_a_bad_organization_registers_nothing(table):
    token = make_token(send(table))
    with pytest.raises(ValidationError):
        accept(
            token,
            organization_data={
                "name": "City Hall",
                "sector": "public",
                "category": "government_administration",
            },
        )
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="nia").exists()


def test_members_invite_into_their_own_organization_but_not_others(table):
    send(table, actor=table.member, organization=table.private_org, organization_name="")
    with pytest.raises(PermissionDenied):
        send(
            table,
            actor=table.member,
            organization=table.public_org,
            organization_name="",
            email="x@example.org",
        )


def test_outsiders_cannot_invite(table):
    with pytest.raises(PermissionDenied):
        send(table, actor=table.outsider)


def test_only_leaders_invite_cochairs(table):
    with pytest.raises(PermissionDenied):
        send(table, actor=table.member, as_cochair=True)
    person = accept(make_token(send(table, actor=table.facilitator, as_cochair=True)))
    assert CoChair.objects.filter(community=table.community, person=person).exists()


def test_the_tree_shows_who_brought_whom(table):
    nia = accept(make_token(send(table)))
    second = send(
        table,
        actor=nia.user,
        organization=nia.organization,
        organization_name="",
        email="sam@example.org",
        name="Sam Ortiz",
    )
    services.invitation_accept(
        token=make_token(second),
        username="sam",
        password="a-long-test-password",
        first_name="Sam",
        last_name="Ortiz",
    )
    roots = invitation_tree(table.community)
    assert len(roots) == 1
    assert roots[0].children[0].label == "Nia Brooks"
    assert roots[0].children[0].children[0].label == "Sam Ortiz"
    assert roots[0].size == 3


def _entries(model, **scope):
    """Each audit entry about a model, as what the log shows of it: action, scope and the fields recorded."""
    rows = AuditEntry.objects.filter(content_type__model=model, **scope).order_by("pk")
    return [(e.action, e.community_id, set(e.changes) - {"invitation"}) for e in rows]


def test_accepting_an_invitation_writes_the_audit_entries_of_organization_create_and_cochair_add(table):
    data = {
        "sector": "nonprofit",
        "category": "red_cross_voluntary",
        "city": "Riverbend",
        "zip_code": "48000",
    }
    person = accept(
        make_token(send(table, actor=table.facilitator, as_cochair=True)),
        organization_data={"name": "Riverbend Red Cross", **data},
    )
    accepted = person.organization
    created = services.organization_create(
        actor=table.cochair, community=table.community, name="Riverbend Food Bank", **data
    )
    speaker = services.person_create(
        actor=table.cochair, organization=created, first_name="Sam", last_name="Ortiz"
    )
    cochair_add(actor=table.cochair, community=table.community, person=speaker)

    for model in ("organization", "membership", "cochair"):
        by_accept = _entries(model, organization_id=accepted.pk)
        by_services = _entries(model, organization_id=created.pk)
        assert by_accept == by_services and len(by_accept) == 1, model
    # The invitee answers for their own registration, and the accepted invitation is what seated them.
    assert set(AuditEntry.objects.filter(organization_id=accepted.pk).values_list("actor", flat=True)) == {
        person.user_id
    }
    assert Membership.objects.get(organization=accepted).invitation.accepted_person == person
