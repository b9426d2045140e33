from django.urls import path

from . import passkeys, views

app_name = "twofactor"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("set-up/", views.EnrolView.as_view(), name="enrol"),
    path("code/", views.VerifyView.as_view(), name="verify"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("recovery-codes/download/", views.recovery_codes_download, name="recovery_codes_download"),
    path("recovery-codes/new/", views.RegenerateView.as_view(), name="regenerate"),
    path("turn-off/", views.DisableView.as_view(), name="disable"),
    path("passkeys/<int:pk>/name/", passkeys.PasskeyRenameView.as_view(), name="passkey_rename"),
    path("passkeys/<int:pk>/remove/", passkeys.PasskeyDeleteView.as_view(), name="passkey_delete"),
]
