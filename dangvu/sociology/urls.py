from django.urls import path

from dangvu.sociology import views

app_name = "sociology"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("moi/", views.survey_create, name="create"),
    path("tra-loi/", views.answer_start, name="answer_start"),
    path("<int:survey_id>/", views.survey_detail, name="detail"),
    path("<int:survey_id>/sua/", views.survey_edit, name="edit"),
    path("<int:survey_id>/cau-hoi/", views.question_add, name="question_add"),
    path(
        "<int:survey_id>/cau-hoi/<int:question_id>/xoa/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:survey_id>/mo/", views.survey_open, name="open"),
    path("<int:survey_id>/dong/", views.survey_close, name="close"),
    path("<int:survey_id>/ma-phieu/", views.invitations, name="invitations"),
    path("<int:survey_id>/ket-qua/", views.results, name="results"),
    path("<int:survey_id>/ket-qua.xlsx", views.results_xlsx, name="results_xlsx"),
    path("<int:survey_id>/phieu-giay/", views.paper_entry, name="paper"),
    path("<int:survey_id>/phieu-giay/mau.xlsx", views.paper_template, name="paper_template"),
    path("<int:survey_id>/phieu-giay/nhap/", views.paper_import, name="paper_import"),
]
