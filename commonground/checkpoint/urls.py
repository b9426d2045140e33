from django.urls import path

from . import views

app_name = "checkpoint"

urlpatterns = [
    path("c/<slug:slug>/checkpoint/", views.CheckpointView.as_view(), name="page"),
    path("c/<slug:slug>/checkpoint/sw.js", views.service_worker, name="service_worker"),
]
