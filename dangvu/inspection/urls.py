from django.urls import path

from dangvu.inspection import views

app_name = "inspection"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("moi/", views.case_create, name="create"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/ket-luan/", views.case_conclude, name="conclude"),
    path("<int:case_id>/ky-luat/", views.case_discipline, name="discipline"),
]
