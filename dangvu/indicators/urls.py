from django.urls import path

from dangvu.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("nhom/<str:group>/", views.dashboard, name="dashboard"),
    path("chi-tieu/<str:code>/", views.drill, name="drill"),
    path("nhap/", views.entry, name="entry"),
]
