from django.urls import path

from dangvu.assessments import views, views_member

app_name = "assessments"
urlpatterns = [
    # The member's side: short addresses for a phone.
    path("k/", views_member.join, name="join"),
    path("k/t/<str:token>/", views_member.take, name="take"),
    path("k/t/<str:token>/bat-dau/", views_member.take_start, name="take_start"),
    path("k/t/<str:token>/nop/", views_member.take_submit, name="take_submit"),
    path("k/<str:code>/", views_member.join_code, name="join_code"),
    # Staff.
    path("kiem-tra/", views.assessment_list, name="list"),
    path("kiem-tra/moi/", views.assessment_create, name="create"),
    path("kiem-tra/<int:assessment_id>/", views.detail, name="detail"),
    path("kiem-tra/<int:assessment_id>/trinh-chieu/", views.presenter, name="presenter"),
    path("kiem-tra/<int:assessment_id>/truc-tiep/", views.live_panel, name="live"),
    path("kiem-tra/<int:assessment_id>/ket-qua/", views.results, name="results"),
    path("kiem-tra/<int:assessment_id>/ket-qua.xlsx", views.results_xlsx, name="results_xlsx"),
    path("kiem-tra/<int:assessment_id>/phieu-giay/", views.paper_print, name="paper_print"),
    path("kiem-tra/<int:assessment_id>/nhap-phieu/", views.paper_entry, name="paper_entry"),
    path("kiem-tra/<int:assessment_id>/duong-dan/", views.links, name="links"),
    path("van-ban/<int:document_id>/cau-hoi/", views.bank, name="bank"),
    path("van-ban/<int:document_id>/cau-hoi/mau.xlsx", views.bank_template, name="bank_template"),
    path("cau-hoi/<int:question_id>/sua/", views.question_edit, name="question_edit"),
]
