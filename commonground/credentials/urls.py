from django.urls import path

from . import public, views

app_name = "credentials"

P = "c/<slug:slug>/credentials/"

urlpatterns = [
    path(P + "jwks.json", public.jwks, name="jwks"),
    path(P + "checkpoint.json", public.checkpoint, name="checkpoint_bundle"),
    path(P, views.ProgramView.as_view(), name="program"),
    path(P + "setup/", views.ProgramEditView.as_view(), name="program_edit"),
    path(P + "keys/rotate/", views.KeyRotateView.as_view(), name="key_rotate"),
    path(P + "keys/<int:pk>/withdraw/", views.KeyWithdrawView.as_view(), name="key_withdraw"),
    path(P + "areas/new/", views.AreaCreateView.as_view(), name="area_create"),
    path(P + "facilities/", views.FacilityListView.as_view(), name="facilities"),
    path(P + "facilities/new/", views.FacilityCreateView.as_view(), name="facility_create"),
    path(P + "nominations/", views.NominationListView.as_view(), name="nominations"),
    path(P + "nominations/new/", views.NominationCreateView.as_view(), name="nomination_create"),
    path(P + "nominations/import/", views.NominationImportView.as_view(), name="nomination_import"),
    path(P + "nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination_detail"),
    path(P + "nominations/<int:pk>/photo/", views.NominationPhotoView.as_view(), name="nomination_photo"),
    path(P + "nominations/<int:pk>/acknowledge/", views.NominationActionView.as_view(action="acknowledge"), name="nomination_acknowledge"),
    path(P + "nominations/<int:pk>/approve/", views.NominationActionView.as_view(action="approve"), name="nomination_approve"),
    path(P + "nominations/<int:pk>/refuse/", views.NominationActionView.as_view(action="refuse"), name="nomination_refuse"),
    path(P + "nominations/<int:pk>/withdraw/", views.NominationActionView.as_view(action="withdraw"), name="nomination_withdraw"),
    path(P + "mine/", views.WalletView.as_view(), name="wallet_list"),
    path(P + "cards/<str:public_id>/", views.CredentialDetailView.as_view(), name="credential_detail"),
    path(P + "cards/<str:public_id>/qr.svg", views.CredentialQrView.as_view(), name="credential_qr"),
    path(P + "cards/<str:public_id>/revoke/", views.CredentialRevokeView.as_view(), name="credential_revoke"),
    path(P + "activations/new/", views.ActivationCreateView.as_view(), name="activation_create"),
    path(P + "activations/<int:pk>/end/", views.ActivationEndView.as_view(), name="activation_end"),
]  # fmt: skip
