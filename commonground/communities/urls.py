from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("communities/", views.CommunityListView.as_view(), name="list"),
    path("communities/new/", views.CommunityCreateView.as_view(), name="create"),
    path("c/<slug:slug>/", views.DashboardView.as_view(), name="dashboard"),
    path("c/<slug:slug>/edit/", views.CommunityEditView.as_view(), name="edit"),
    path("c/<slug:slug>/leadership/", views.LeadershipView.as_view(), name="leadership"),
    path("c/<slug:slug>/audit/", views.AuditLogView.as_view(), name="audit"),
]
