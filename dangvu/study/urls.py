from django.urls import path

from dangvu.study import views

app_name = "study"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("moi/", views.session_create, name="create"),
    path("<int:session_id>/", views.session_detail, name="detail"),
    path("boi-duong/", views.training_list, name="training"),
]
