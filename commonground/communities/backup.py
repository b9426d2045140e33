"""What a one-community backup holds: the community and everything at its table."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Q
from rest_framework.authtoken.models import Token

from commonground.core.models import AuditEntry, AuditRecipient
from commonground.registry.models import Invitation, Organization, Person

from .models import CoChair, Community, Membership


def community_scope(slug: str) -> dict:
    """Return, parents first, the querysets of one community's records (settings.BACKUP_COMMUNITY_SCOPE)."""
    from commonground.agenda.models import Ballot, Comment, Endorsement, Issue, Vote
    from commonground.resources.models import Agreement, Resource  # steps 3 to 6 build on the communities
    from commonground.risks.models import CriticalFunction, Hazard, HazardAssessment
    from commonground.sustainability.models import (
        Attendance,
        ExerciseObjective,
        Goal,
        Meeting,
        NeedsAnswer,
        NeedsAssessment,
        NeedsItem,
        Observation,
        Task,
    )

    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise CommandError(f"There is no community '{slug}'.")
    organizations = Organization.objects.filter(memberships__community=community)
    people = Person.objects.filter(organization__in=organizations)
    invitations = Invitation.objects.filter(community=community)
    audit = AuditEntry.objects.filter(
        Q(community_id=community.pk) | Q(organization_id__in=organizations.values("pk"))
    )
    users = get_user_model().objects.filter(
        Q(pk__in=people.values("user_id"))
        | Q(pk__in=invitations.values("invited_by_id"))
        | Q(pk=community.created_by_id)
        | Q(pk__in=audit.exclude(actor=None).values("actor_id"))
    )
    return {
        "accounts.User": users.order_by("pk"),
        "communities.Community": Community.objects.filter(pk=community.pk),
        "registry.Organization": organizations.order_by("pk"),
        "registry.Person": people.order_by("pk"),
        "registry.Invitation": invitations.order_by("pk"),
        "communities.Membership": Membership.objects.filter(community=community).order_by("pk"),
        "communities.CoChair": CoChair.objects.filter(community=community).order_by("pk"),
        "resources.Resource": Resource.objects.filter(community=community).order_by("pk"),
        "resources.Agreement": Agreement.objects.filter(community=community).order_by("pk"),
        "risks.Hazard": Hazard.objects.filter(community=community).order_by("pk"),
        "risks.CriticalFunction": CriticalFunction.objects.filter(community=community).order_by("pk"),
        "risks.HazardAssessment": HazardAssessment.objects.filter(community=community).order_by("pk"),
        "agenda.Issue": Issue.objects.filter(community=community).order_by("pk"),
        "agenda.Endorsement": Endorsement.objects.filter(issue__community=community).order_by("pk"),
        "agenda.Comment": Comment.objects.filter(issue__community=community).order_by("pk"),
        "agenda.Vote": Vote.objects.filter(community=community).order_by("pk"),
        "agenda.Ballot": Ballot.objects.filter(vote__community=community).order_by("pk"),
        "sustainability.NeedsAssessment": NeedsAssessment.objects.filter(community=community).order_by("pk"),
        "sustainability.NeedsItem": NeedsItem.objects.filter(assessment__community=community).order_by("pk"),
        "sustainability.NeedsAnswer": NeedsAnswer.objects.filter(community=community).order_by("pk"),
        "sustainability.Meeting": Meeting.objects.filter(community=community).order_by("pk"),
        "sustainability.Attendance": Attendance.objects.filter(meeting__community=community).order_by("pk"),
        "sustainability.ExerciseObjective": ExerciseObjective.objects.filter(
            meeting__community=community
        ).order_by("pk"),
        "sustainability.Observation": Observation.objects.filter(meeting__community=community).order_by("pk"),
        "sustainability.Goal": Goal.objects.filter(community=community).order_by("pk"),
        "sustainability.Task": Task.objects.filter(goal__community=community).order_by("pk"),
        "core.AuditEntry": audit.order_by("pk"),
        "core.AuditRecipient": AuditRecipient.objects.filter(entry__in=audit).order_by("pk"),
        "authtoken.Token": Token.objects.filter(user__in=users).order_by("pk"),
    }
