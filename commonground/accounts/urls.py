from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from . import profile_views as profile
from .views import PasswordResetView, UserDeactivateView

# Django's own views under the names its views redirect to; their templates are in templates/registration.
urlpatterns = [
    path("login/", login_not_required(auth_views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/changed/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    # Django's own view (the choice in the language cookie, back to `next`), kept on a signed-in user's profile.
    path("language/", login_not_required(profile.set_language), name="set_language"),
    path("profile/", profile.ProfileView.as_view(), name="profile"),
    path("profile/email/", profile.EmailChangeView.as_view(), name="email_change"),
    path("profile/email/<str:token>/", profile.EmailChangeConfirmView.as_view(), name="email_change_confirm"),
    path("sessions/<int:pk>/end/", profile.SessionEndView.as_view(), name="session_end"),
    path("sessions/end-others/", profile.SessionsEndOthersView.as_view(), name="sessions_end_others"),
    path("tokens/new/", profile.TokenCreateView.as_view(), name="token_create"),
    path("tokens/<int:pk>/revoke/", profile.TokenRevokeView.as_view(), name="token_revoke"),
    # django-otp-webauthn's JSON endpoints, in its own namespace (its template tags reverse them there).
    path("two-step/passkeys/", include("commonground.accounts.twofactor.passkeys")),
    path("two-step/", include("commonground.accounts.twofactor.urls")),
    path("users/<int:pk>/deactivate/", UserDeactivateView.as_view(), name="user_deactivate"),
]
