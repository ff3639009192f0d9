from django.urls import path

from dangvu.awards import views

app_name = "awards"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("moi/", views.decision_create, name="create"),
    path("khen-thuong.xlsx", views.decision_xlsx, name="xlsx"),
    path("<int:decision_id>/", views.decision_detail, name="detail"),
    path("<int:decision_id>/sua/", views.decision_edit, name="edit"),
    path("<int:decision_id>/xoa/", views.decision_delete, name="delete"),
]
