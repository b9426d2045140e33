from django.urls import path

from . import views

app_name = "risks"

urlpatterns = [
    path("c/<slug:slug>/hazards/", views.HazardListView.as_view(), name="hazards"),
    path("c/<slug:slug>/hazards/new/", views.HazardCreateView.as_view(), name="hazard_create"),
    path("c/<slug:slug>/hazards/<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("c/<slug:slug>/risk-profile/", views.RiskProfileView.as_view(), name="profile"),
    path("c/<slug:slug>/risk-profile/print/", views.RiskProfilePrintView.as_view(), name="profile_print"),
    path("c/<slug:slug>/assessments/", views.AssessmentListView.as_view(), name="assessments"),
    path("c/<slug:slug>/assessments/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("c/<slug:slug>/critical-functions/", views.FunctionListView.as_view(), name="functions"),
    path("c/<slug:slug>/critical-functions/new/", views.FunctionCreateView.as_view(), name="function_create"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/edit/", views.AssessmentEditView.as_view(), name="assessment_edit"),
    path("assessments/<int:pk>/delete/", views.AssessmentDeleteView.as_view(), name="assessment_delete"),
    path("critical-functions/<int:pk>/edit/", views.FunctionEditView.as_view(), name="function_edit"),
    path("critical-functions/<int:pk>/delete/", views.FunctionDeleteView.as_view(), name="function_delete"),
]
