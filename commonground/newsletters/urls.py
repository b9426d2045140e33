from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .feeds import PublicEditionFeed

app_name = "newsletters"

urlpatterns = [
    path("c/<slug:slug>/newsletters/", views.NewsletterListView.as_view(), name="list"),
    path("c/<slug:slug>/newsletters/new/", views.NewsletterCreateView.as_view(), name="create"),
    path("c/<slug:slug>/newsletters/segments/", views.SegmentListView.as_view(), name="segments"),
    path("c/<slug:slug>/newsletters/segments/<int:pk>/delete/", views.SegmentDeleteView.as_view(), name="segment_delete"),
    path("c/<slug:slug>/newsletters/<int:pk>/", views.NewsletterDetailView.as_view(), name="detail"),
    path("c/<slug:slug>/newsletters/<int:pk>/edit/", views.NewsletterEditView.as_view(), name="edit"),
    path("c/<slug:slug>/newsletters/<int:pk>/delete/", views.NewsletterDeleteView.as_view(), name="delete"),
    path("c/<slug:slug>/newsletters/<int:pk>/sections/new/", views.SectionCreateView.as_view(), name="section_create"),
    path("c/<slug:slug>/newsletters/<int:pk>/sections/<int:section>/", views.SectionEditView.as_view(), name="section_edit"),
    path("c/<slug:slug>/newsletters/<int:pk>/sections/<int:section>/delete/", views.SectionDeleteView.as_view(), name="section_delete"),
    path("c/<slug:slug>/newsletters/<int:pk>/audience/", views.AudienceView.as_view(), name="audience"),
    path("c/<slug:slug>/newsletters/<int:pk>/preview/", views.PreviewView.as_view(), name="preview"),
    path("c/<slug:slug>/newsletters/<int:pk>/send/", views.SendView.as_view(), name="send"),
    path("p/<slug:slug>/newsletters/", views.PublicListView.as_view(), name="public"),
    path("p/<slug:slug>/newsletters/feed/", login_not_required(PublicEditionFeed()), name="feed"),
    path("p/<slug:slug>/newsletters/<int:pk>/", views.PublicDetailView.as_view(), name="public_detail"),
    path("newsletters/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]  # fmt: skip
