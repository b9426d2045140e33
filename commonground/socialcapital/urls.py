from django.urls import path

from . import views

app_name = "socialcapital"

urlpatterns = [
    path("c/<slug:slug>/network/", views.NetworkView.as_view(), name="network"),
    path("c/<slug:slug>/network/measure/", views.NetworkMeasureView.as_view(), name="network_measure"),
    path("c/<slug:slug>/network/introduce/", views.NetworkIntroduceView.as_view(), name="network_introduce"),
]
