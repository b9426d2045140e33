"""The REST API, version 1."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from commonground.accounts.api.views import TokenView
from commonground.agenda.api.views import IssueViewSet, VoteViewSet
from commonground.communities.api.views import CoChairViewSet, MembershipViewSet
from commonground.core.api.views import AuditEntryViewSet
from commonground.credentials.api.program import ProgramViewSet
from commonground.credentials.api.views import (
    ActivationViewSet,
    CredentialCheckUploadView,
    CredentialVerificationView,
    CredentialViewSet,
    FacilityViewSet,
    NominationViewSet,
)
from commonground.incidents.api.views import (
    AlertViewSet,
    AssignmentViewSet,
    CommitmentViewSet,
    IncidentViewSet,
    OperationalPeriodViewSet,
    ResourceRequestViewSet,
    TimelineEntryViewSet,
)
from commonground.newsletters.api.views import NewsletterViewSet
from commonground.program.api.views import ProgressView, StatisticsView
from commonground.registry.api.views import (
    CommunityCoverageViewSet,
    InvitationAcceptView,
    InvitationViewSet,
    OrganizationViewSet,
    PersonViewSet,
)
from commonground.resources.api.views import AgreementViewSet, CategoryViewSet, ResourceViewSet
from commonground.risks.api.views import (
    AssessmentViewSet,
    CriticalFunctionViewSet,
    HazardViewSet,
    RiskProfileView,
)
from commonground.socialcapital.api.views import NetworkSnapshotViewSet
from commonground.sustainability.api.meeting_views import MeetingViewSet
from commonground.sustainability.api.views import GoalViewSet, NeedsAssessmentViewSet, TaskViewSet

router = DefaultRouter()
router.register("communities", CommunityCoverageViewSet, basename="community")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("cochairs", CoChairViewSet, basename="cochair")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("people", PersonViewSet, basename="person")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("resources", ResourceViewSet, basename="resource")
router.register("resource-categories", CategoryViewSet, basename="resource-category")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("issues", IssueViewSet, basename="issue")
router.register("issue-votes", VoteViewSet, basename="issue-vote")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("critical-functions", CriticalFunctionViewSet, basename="critical-function")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("needs-assessments", NeedsAssessmentViewSet, basename="needs-assessment")
router.register("goals", GoalViewSet, basename="goal")
router.register("tasks", TaskViewSet, basename="task")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("operational-periods", OperationalPeriodViewSet, basename="operational-period")
router.register("resource-requests", ResourceRequestViewSet, basename="resource-request")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("timeline-entries", TimelineEntryViewSet, basename="timeline-entry")
router.register("network-snapshots", NetworkSnapshotViewSet, basename="network-snapshot")
router.register("newsletters", NewsletterViewSet, basename="newsletter")
router.register("alerts", AlertViewSet, basename="alert")
router.register("audit", AuditEntryViewSet, basename="auditentry")
router.register("credential-programs", ProgramViewSet, basename="credential-program")
router.register("credential-facilities", FacilityViewSet, basename="credential-facility")
router.register("credential-nominations", NominationViewSet, basename="credential-nomination")
router.register("credentials", CredentialViewSet, basename="credential")
router.register("credential-activations", ActivationViewSet, basename="credential-activation")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("invitations/accept/", InvitationAcceptView.as_view(), name="invitation-accept"),
    path("communities/<slug:slug>/risk-profile/", RiskProfileView.as_view(), name="risk-profile"),
    path("program/statistics/", StatisticsView.as_view(), name="program-statistics"),
    path("program/communities/", ProgressView.as_view(), name="program-communities"),
    path("credential-checks/", CredentialCheckUploadView.as_view(), name="credential-checks"),
    path("credential-verifications/", CredentialVerificationView.as_view(), name="credential-verifications"),
    path("", include(router.urls)),
]
