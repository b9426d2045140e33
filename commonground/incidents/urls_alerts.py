"""The addresses of the alerts' XML and of a community's alert feed; urls.py includes them in the
"incidents" namespace (this module declares no app_name of its own)."""

from django.urls import path

from . import views_alerts

urlpatterns = [
    path("alerts/<int:pk>.xml", views_alerts.alert_xml, name="alert_xml"),
    path("c/<slug:slug>/alerts.atom", views_alerts.alert_feed, name="alert_feed"),
]
