from django.urls import path

from toolkits import views

app_name = "toolkits"

urlpatterns = [
    path("", views.toolkit_list, name="list"),
    path("<slug:slug>/", views.toolkit_detail, name="detail"),
    path("<slug:slug>/download/", views.download_latest, name="download"),
    path("<slug:slug>/download/<int:pk>/", views.download_version, name="download-version"),
    path("<slug:slug>/used/", views.toolkit_used, name="used"),
]
