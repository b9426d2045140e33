"""The project's addresses, with the alerts' ones in the "incidents" namespace while urls.py does not include
the incidents app yet (and a stand-in for the incident board, which the alerts link to)."""

from django.http import HttpResponse
from django.urls import include, path

from commonground.incidents import urls_alerts
from commonground.urls import handler403, handler404  # noqa: F401
from commonground.urls import urlpatterns as project_urlpatterns


def incident_detail_stand_in(request, pk: int) -> HttpResponse:
    return HttpResponse(f"incident {pk}")


if any(getattr(pattern, "namespace", None) == "incidents" for pattern in project_urlpatterns):
    urlpatterns = project_urlpatterns
else:
    incidents = [
        *urls_alerts.urlpatterns,
        path("incidents/<int:pk>/", incident_detail_stand_in, name="incident_detail"),
    ]
    urlpatterns = [path("", include((incidents, "incidents"))), *project_urlpatterns]
