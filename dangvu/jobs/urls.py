from django.urls import path

from dangvu.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:job_id>/", views.job_detail, name="detail"),
    path("<uuid:job_id>/tien-do/", views.job_progress, name="progress"),
    path("<uuid:job_id>/tep/", views.job_file, name="file"),
]
