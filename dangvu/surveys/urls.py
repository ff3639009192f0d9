from django.urls import path

from dangvu.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("moi/", views.survey_create, name="create"),
]
