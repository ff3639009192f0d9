from django.urls import path

from dangvu.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.grid, name="grid"),
    path("buoi/<int:meeting_id>/", views.edit, name="edit"),
    path("buoi/<int:meeting_id>/bien-ban/", views.minutes, name="minutes"),
    path("<str:code>/ghi/", views.record, name="record"),
    path("<str:code>/<int:year>/", views.cell, name="cell"),
]
