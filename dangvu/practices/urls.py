from django.urls import path

from dangvu.practices import views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("moi/", views.practice_create, name="create"),
    path("<int:practice_id>/", views.practice_edit, name="edit"),
]
