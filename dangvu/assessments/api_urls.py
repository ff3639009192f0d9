from django.urls import path

from dangvu.assessments import api

app_name = "api"
urlpatterns = [
    path("join", api.join_view, name="join"),
    path("attempts/<str:token>", api.attempt_view, name="attempt"),
    path("attempts/<str:token>/start", api.start_view, name="start"),
    path("attempts/<str:token>/answers/<int:question_id>", api.answer_view, name="answer"),
    path("attempts/<str:token>/submit", api.submit_view, name="submit"),
    path("assessments/<int:assessment_id>/results", api.results_view, name="results"),
    path("noop", api.noop_view, name="noop"),
    path("openapi.json", api.openapi_view, name="openapi"),
]
