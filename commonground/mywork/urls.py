from django.urls import path

from . import views

app_name = "mywork"

urlpatterns = [
    path("my-work/", views.MyWorkView.as_view(), name="home"),
]
