from django.urls import path

from . import views

app_name = "program"

urlpatterns = [
    path("program/", views.StatisticsView.as_view(), name="statistics"),
    path("program/communities/", views.CommunitiesView.as_view(), name="communities"),
    path("program/communities/refresh/", views.RefreshView.as_view(), name="refresh"),
]
