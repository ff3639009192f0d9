from django.urls import path

from dangvu.rounds import views

app_name = "rounds"
urlpatterns = [
    path("", views.round_list, name="list"),
]
