from django.urls import path

from dangvu.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.home, name="home"),
    path("mau-trao-doi-du-lieu.xlsx", views.template, name="template"),
    path("xuat.xlsx", views.export, name="export"),
    path("xuat/", views.export_job, name="export_job"),
]
