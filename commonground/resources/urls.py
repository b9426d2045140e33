from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("c/<slug:slug>/resources/", views.ResourceListView.as_view(), name="resources"),
    path("c/<slug:slug>/resources/new/", views.ResourceCreateView.as_view(), name="resource_create"),
    path("c/<slug:slug>/resources/export.geojson", views.GeoJSONExportView.as_view(), name="geojson"),
    path("c/<slug:slug>/resources/contribution/", views.ContributionView.as_view(), name="contribution"),
    path("c/<slug:slug>/agreements/", views.AgreementListView.as_view(), name="agreements"),
    path("c/<slug:slug>/agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("resources/<int:pk>/", views.ResourceDetailView.as_view(), name="resource_detail"),
    path("resources/<int:pk>/edit/", views.ResourceEditView.as_view(), name="resource_edit"),
    path("resources/<int:pk>/verify/", views.ResourceVerifyView.as_view(), name="resource_verify"),
    path("resources/<int:pk>/delete/", views.ResourceDeleteView.as_view(), name="resource_delete"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementEditView.as_view(), name="agreement_edit"),
    path("agreements/<int:pk>/document/", views.AgreementDocumentView.as_view(), name="agreement_document"),
    path("agreements/<int:pk>/delete/", views.AgreementDeleteView.as_view(), name="agreement_delete"),
]
