from django.urls import path

from dangvu.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("trinh/", views.plan_submit, name="submit"),
    path("<int:plan_id>/quyet-dinh/", views.plan_decide, name="decide"),
]
