from django.urls import path

from dangvu.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("moi/", views.report_create, name="create"),
    path("<int:report_id>/", views.report_edit, name="edit"),
    path("<int:report_id>/bao-cao.docx", views.download_docx, name="docx"),
    path("<int:report_id>/bao-cao.xlsx", views.download_xlsx, name="xlsx"),
    path("<int:report_id>/bao-cao.json", views.download_json, name="json"),
    path("<int:report_id>/tao-tep/<str:fmt>/", views.make_file, name="make"),
]
