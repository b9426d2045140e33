from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("c/<slug:slug>/import/", views.ImportView.as_view(), name="import"),
    path("c/<slug:slug>/import/<int:pk>/", views.ImportJobView.as_view(), name="import-job"),
    path("c/<slug:slug>/export/<str:kind>.<str:fmt>", views.ExportView.as_view(), name="export"),
]
