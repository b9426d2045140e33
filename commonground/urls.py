from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from commonground.communities.views import LandingView
from commonground.core.views import health

urlpatterns = [
    path("", LandingView.as_view(), name="landing"),
    path("healthz", login_not_required(health), name="health"),
    # The scripts' words (the djangojs catalogue) in the page's language, from this server: `gettext()` in JS.
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("", include("commonground.communities.urls")),
    path("", include("commonground.exchange.urls")),
    path("", include("commonground.registry.urls")),
    path("", include("commonground.resources.urls")),
    path("", include("commonground.risks.urls")),
    path("", include("commonground.agenda.urls")),
    path("", include("commonground.sustainability.urls")),
    path("", include("commonground.incidents.urls")),
    path("", include("commonground.credentials.urls")),
    path("", include("commonground.socialcapital.urls")),
    path("", include("commonground.program.urls")),
    path("", include("commonground.newsletters.urls")),
    path("", include("commonground.checkpoint.urls")),
    path("", include("commonground.mywork.urls")),
    path("accounts/", include("commonground.accounts.urls")),
    path("api/v1/", include(("commonground.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script as a file of its own, so that its page needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # ReDoc writes its styles into <style> elements at run time and parses in a blob: worker: this page
    # alone, which shows nothing but the schema, allows both.
    path(
        "api/redoc/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="schema")
        ),
        name="api-redoc",
    ),
]

handler403 = "commonground.communities.views.permission_denied"
handler404 = "commonground.core.views.not_found"
