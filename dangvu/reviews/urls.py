from django.urls import path

from dangvu.reviews import views

app_name = "reviews"
urlpatterns = [
    path("kiem-diem/", views.home, name="home"),
    path("kiem-diem/goi-y/", views.suggestions, name="suggestions"),
    path("kiem-diem/goi-y/moi/", views.suggestion_issue, name="suggestion_issue"),
    path(
        "kiem-diem/goi-y/<int:suggestion_id>/tra-loi/",
        views.suggestion_answer,
        name="suggestion_answer",
    ),
    path("kiem-diem/khac-phuc/", views.remediation, name="remediation"),
    path("kiem-diem/khac-phuc/<int:item_id>/", views.remediation_done, name="remediation_done"),
    path("kiem-diem/<str:code>/<int:year>/", views.cell, name="cell"),
    path("kiem-diem/<str:code>/<int:year>/luu/", views.cell_save, name="cell_save"),
    path("kiem-diem/<str:code>/<int:year>/tap-the/", views.collective, name="collective"),
    path(
        "kiem-diem/<str:code>/<int:year>/khac-phuc/", views.remediation_add, name="remediation_add"
    ),
    path(
        "kiem-diem/<str:code>/<int:year>/cam-ket-giay/",
        views.commitment_paper,
        name="commitment_paper",
    ),
    path("kiem-diem/<str:code>/<int:year>/<str:card>/", views.member, name="member"),
    path("kiem-diem/<str:code>/<int:year>/<str:card>/luu/", views.member_save, name="member_save"),
    path("cam-ket/", views.my_commitment, name="my_commitment"),
    path("cam-ket/<int:commitment_id>/", views.commitment, name="commitment"),
    path("cam-ket/<int:commitment_id>/y-kien/", views.commitment_decide, name="commitment_decide"),
    path("cam-ket/<int:commitment_id>/gop-y/", views.commitment_comment, name="commitment_comment"),
]
