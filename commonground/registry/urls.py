from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("c/<slug:slug>/organizations/", views.OrganizationListView.as_view(), name="organizations"),
    path(
        "c/<slug:slug>/organizations/new/", views.OrganizationCreateView.as_view(), name="organization_create"
    ),
    path("c/<slug:slug>/people/", views.PersonListView.as_view(), name="people"),
    path("c/<slug:slug>/invitations/", views.InvitationListView.as_view(), name="invitations"),
    path("c/<slug:slug>/invitations/tree/", views.InvitationTreeView.as_view(), name="invitation_tree"),
    path("c/<slug:slug>/coverage/", views.CoverageView.as_view(), name="coverage"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.OrganizationEditView.as_view(), name="organization_edit"),
    path("organizations/<int:pk>/people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    path("memberships/<int:pk>/remove/", views.MembershipRemoveView.as_view(), name="membership_remove"),
    path("invite/<str:token>/", views.AcceptInvitationView.as_view(), name="invitation_accept"),
]
