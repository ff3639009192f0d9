from django.urls import path

from dangvu.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.supervision_list, name="list"),
    path("moi/", views.supervision_create, name="create"),
    path("<int:supervision_id>/", views.supervision_edit, name="edit"),
]
