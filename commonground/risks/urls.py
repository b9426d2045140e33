from django.urls import path

from . import views

app_name = "risks"

urlpatterns = [
    path("c/<slug:slug>/hazards/", views.HazardListView.as_view(), name="hazards"),
    path("c/<slug:slug>/hazards/new/", views.HazardCreateView.as_view(), name="hazard_create"),
]
