"""Bring others to the table: send, withdraw and accept invitations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.communities.models import Membership
from commonground.communities.permissions import can_invite, can_manage_community
from commonground.communities.services import cochair_create
from commonground.core import audit
from commonground.core.mail import MailStatus, mail_enqueue, mail_message
from commonground.core.services import require, validated_save, viewer_of

from ..choices import PersonRole
from ..models import Invitation, InvitationStatus, Organization, Person
from ..permissions import can_revoke_invitation
from ..tokens import InvalidToken, make_token, read_token
from .organizations import ORGANIZATION_FIELDS, organization_register


def invitation_url(invitation: Invitation) -> str:
    """Return the absolute link an invitee follows to accept."""
    path = reverse("registry:invitation_accept", args=[make_token(invitation)])
    return settings.SITE_URL.rstrip("/") + path


def _invitation_mail(invitation: Invitation) -> dict:
    context = {"invitation": invitation, "url": invitation_url(invitation), "inviter": invitation.invited_by}
    return mail_message(
        subject=_("[TLP:GREEN] %(inviter)s invites you to the %(community)s partnership")
        % {"inviter": invitation.invited_by, "community": invitation.community},
        body=render_to_string("registry/email/invitation.txt", context),
        to=[invitation.email],
        track=("registry.Invitation", invitation.pk),
    )


@transaction.atomic
def invitation_send(
    *,
    actor,
    community,
    email: str,
    name: str,
    organization: Organization | None = None,
    organization_name: str = "",
    suggested_category: str = "",
    as_cochair: bool = False,
    message: str = "",
) -> Invitation:
    """Invite someone to the community's table and e-mail them a signed, expiring link."""
    viewer = viewer_of(actor)
    require(can_invite(viewer, community), _("Only members of the community invite others to it."))
    if as_cochair:
        require(
            can_manage_community(viewer, community), _("Only co-chairs and facilitators invite co-chairs.")
        )
    if organization is not None:
        if not Membership.objects.filter(community=community, organization=organization).exists():
            raise ValidationError({"organization": _("That organization is not at this table.")})
        require(
            can_manage_community(viewer, community) or organization.pk == viewer.organization_id,
            _("You may invite people to your own organization, or to a new one."),
        )
    elif not organization_name.strip():
        raise ValidationError(
            {"organization_name": _("Name the invitee's organization, or pick one at the table.")}
        )
    # Only an address the inviter may see is said to be taken: a hidden one is invited as any other,
    # and accepting joins its owner to the person already registered (DESIGN: no "already exists" oracle).
    at_table = Person.objects.filter(
        email__iexact=email.strip(), user__isnull=False, organization__memberships__community=community
    )
    if at_table.filter(at_table.tlp_q(viewer)).exists():
        raise ValidationError({"email": _("Someone with this e-mail is already at the table.")})
    invitation = Invitation(
        community=community,
        invited_by=actor,
        inviter_person_id=viewer.person_id,
        email=email.strip().lower(),
        name=name.strip(),
        organization=organization,
        organization_name=organization_name.strip(),
        suggested_category=suggested_category,
        as_cochair=as_cochair,
        message=message,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        mail_status=MailStatus.QUEUED,
    )
    validated_save(invitation)
    audit.record_create(actor, invitation, community_id=community.pk)
    # Written here, in the inviter's language; sent by the task queue once the invitation is saved.
    mail_enqueue([_invitation_mail(invitation)])
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation; its sender, the co-chairs or a facilitator."""
    viewer = viewer_of(actor)
    require(
        can_revoke_invitation(viewer, invitation),
        _("Only the sender or a co-chair may withdraw an invitation."),
    )
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("Only a pending invitation can be withdrawn."))
    before = audit.snapshot(invitation)
    invitation.status = InvitationStatus.REVOKED
    invitation.save(update_fields=["status", "updated"])
    audit.record_update(actor, invitation, before, community_id=invitation.community_id)
    return invitation


def invitation_for_token(token: str, *, for_update: bool = False) -> Invitation:
    """Return the pending invitation a link names; raise InvalidToken for any link that cannot be used."""
    content = read_token(token)
    queryset = Invitation.objects.select_related("community", "organization", "invited_by")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(pk=content.get("i")).first()
    if invitation is None or invitation.email.lower() != str(content.get("e", "")).lower():
        raise InvalidToken(_("This invitation link is not valid."))
    if invitation.status == InvitationStatus.ACCEPTED:
        raise InvalidToken(_("This invitation has already been used. Log in instead."))
    if invitation.status == InvitationStatus.REVOKED:
        raise InvalidToken(_("This invitation was withdrawn."))
    if invitation.is_expired:
        raise InvalidToken(_("This invitation has expired; ask for a new one."), expired=True)
    return invitation


def _person_join(*, user, person: Person, community) -> Person:
    before = audit.snapshot(person)
    person.user = user
    validated_save(person)
    audit.record_update(
        user, person, before, community_id=community.pk, organization_id=person.organization_id
    )
    return person


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    title: str = "",
    phone: str = "",
    organization_data: dict[str, Any] | None = None,
) -> Person:
    """Register the invitee (and their organization, where new) and record who brought them."""
    invitation = invitation_for_token(token, for_update=True)
    community = invitation.community
    # Only the address's owner reads this: the invitation was sent to it.
    if Person.objects.filter(
        email__iexact=invitation.email, user__isnull=False, organization__memberships__community=community
    ).exists():
        raise ValidationError(_("You already have a login at this table with this e-mail: log in instead."))
    User = get_user_model()
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    user = User(username=username, email=invitation.email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    validated_save(user)

    organization = invitation.organization
    role = PersonRole.MEMBER
    if organization is None:
        data = {key: value for key, value in (organization_data or {}).items() if key in ORGANIZATION_FIELDS}
        data.setdefault("name", invitation.organization_name)
        data.setdefault("category", invitation.suggested_category)
        # The invitation is the permission: whoever sent it may bring a new organization to the table.
        organization = organization_register(
            actor=user, community=community, data=data, invitation=invitation
        )
        role = PersonRole.ADMIN  # the first person of a new organization speaks for it

    registered = Person.objects.filter(
        organization=organization, email__iexact=invitation.email, user__isnull=True
    ).first()
    if registered is not None:
        # The organization already lists this person (perhaps with hidden contact details): give them
        # their login rather than a second record; the details and their marking stay as they are.
        person = _person_join(user=user, person=registered, community=community)
    else:
        person = Person(
            organization=organization,
            user=user,
            first_name=first_name,
            last_name=last_name,
            title=title,
            phone=phone,
            email=invitation.email,
            role=role,
        )
        validated_save(person)
        audit.record_create(user, person, community_id=community.pk, organization_id=organization.pk)
    if invitation.as_cochair:
        # Only co-chairs and facilitators send such an invitation (invitation_send checks it).
        cochair_create(actor=user, community=community, person=person)

    before = audit.snapshot(invitation)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_person = person
    invitation.save(update_fields=["status", "accepted_at", "accepted_person", "updated"])
    audit.record_update(user, invitation, before, community_id=community.pk)
    return person
