from django.urls import path

from dangvu.rounds import views, views_docx

app_name = "rounds"
REPORT = "<int:round_id>/bao-cao/<int:report_id>/"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("moi/", views.round_create, name="create"),
    path("<int:round_id>/", views.board, name="board"),
    path("<int:round_id>/so-lieu/", views.board_figures, name="figures"),
    path(REPORT, views.report_page, name="report"),
    path(REPORT + "so-lieu/", views.report_figures, name="report_figures"),
    path("<int:round_id>/bao-cao/<int:report_id>.docx", views_docx.download, name="report_docx"),
    path(REPORT + "luu/", views.report_save, name="save"),
    path(REPORT + "gui/", views.report_submit, name="submit"),
    path(REPORT + "tra-lai/", views.report_return, name="return"),
    path(REPORT + "chap-nhan/", views.report_accept, name="accept"),
    path(REPORT + "mo-lai/", views.report_reopen, name="reopen"),
    path(REPORT + "gia-han/", views.report_extend, name="extend"),
]
