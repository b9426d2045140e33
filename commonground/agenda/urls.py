from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("c/<slug:slug>/issues/", views.IssueListView.as_view(), name="issues"),
    path("c/<slug:slug>/issues/new/", views.IssueCreateView.as_view(), name="issue_create"),
    path("c/<slug:slug>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("c/<slug:slug>/votes/new/", views.VoteCreateView.as_view(), name="vote_create"),
    path("issues/<int:pk>/", views.IssueDetailView.as_view(), name="issue_detail"),
    path("issues/<int:pk>/edit/", views.IssueEditView.as_view(), name="issue_edit"),
    path("issues/<int:pk>/endorse/", views.EndorseView.as_view(), name="issue_endorse"),
    path("issues/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="issue_withdraw"),
    path("issues/<int:pk>/comment/", views.CommentView.as_view(), name="issue_comment"),
    path("issues/<int:pk>/decide/", views.DecideView.as_view(), name="issue_decide"),
    path("issues/<int:pk>/merge/", views.MergeView.as_view(), name="issue_merge"),
    path("votes/<int:pk>/", views.VoteDetailView.as_view(), name="vote_detail"),
    path("votes/<int:pk>/close/", views.VoteCloseView.as_view(), name="vote_close"),
]
