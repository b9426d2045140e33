from django.urls import path

from . import urls_alerts, views

app_name = "incidents"

urlpatterns = [
    path("c/<slug:slug>/incidents/", views.IncidentListView.as_view(), name="incidents"),
    path("c/<slug:slug>/incidents/new/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("incidents/<int:pk>/", views.IncidentBoardView.as_view(), name="incident_detail"),
    path("incidents/<int:pk>/live/", views.IncidentLiveView.as_view(), name="incident_live"),
    path("incidents/<int:pk>/edit/", views.IncidentEditView.as_view(), name="incident_edit"),
    path("incidents/<int:pk>/close/", views.IncidentCloseView.as_view(), name="incident_close"),
    path("incidents/<int:pk>/log/", views.IncidentLogView.as_view(), name="incident_log"),
    path("incidents/<int:pk>/sitreps/new/", views.SitrepCreateView.as_view(), name="sitrep_create"),
    path("incidents/<int:pk>/periods/new/", views.PeriodCreateView.as_view(), name="period_create"),
    path("incidents/<int:pk>/requests/new/", views.RequestCreateView.as_view(), name="request_create"),
    path("incidents/<int:pk>/plan/", views.PlanProposeView.as_view(), name="plan_propose"),
    path(
        "incidents/<int:pk>/gaps/<int:request_id>/needs/", views.GapToNeedsView.as_view(), name="gap_to_needs"
    ),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/edit/", views.RequestEditView.as_view(), name="request_edit"),
    path("requests/<int:pk>/<slug:action>/", views.RequestTransitionView.as_view(), name="request_transition"),
    path("assignments/<int:pk>/commit/", views.AssignmentActionView.as_view(action="commit"), name="assignment_commit"),
    path("assignments/<int:pk>/accept/", views.AssignmentActionView.as_view(action="accept"), name="assignment_accept"),
    path("assignments/<int:pk>/decline/", views.AssignmentActionView.as_view(action="decline"), name="assignment_decline"),
    path("assignments/<int:pk>/release/", views.AssignmentActionView.as_view(action="release"), name="assignment_release"),
    # The alerts' CAP XML and the community's Atom feed of them (open to visitors: TLP:CLEAR alerts only).
    *urls_alerts.urlpatterns,
]  # fmt: skip
