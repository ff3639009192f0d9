from django.urls import path

from dangvu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("ho-so-cua-toi/", views.own_record, name="own_record"),
    path("tai-khoan/", views.account_list, name="list"),
    path("tai-khoan/moi/", views.account_create_view, name="create"),
    path("tai-khoan/<int:user_id>/", views.account_detail, name="detail"),
    path("tai-khoan/<int:user_id>/vai-tro/", views.role_grant_view, name="role_grant"),
    path(
        "tai-khoan/<int:user_id>/vai-tro/<int:role_id>/thu-hoi/",
        views.role_revoke_view,
        name="role_revoke",
    ),
    path("nhat-ky/", views.audit_log, name="audit"),
    # The grants of inspection and leadership (accounts/grants.py).
    path("tai-khoan/xac-nhan-cap-quyen/", views.grant_review, name="grants"),
    path(
        "tai-khoan/xac-nhan-cap-quyen/<int:request_id>/dong-y/",
        views.grant_confirm,
        name="grant_confirm",
    ),
    path(
        "tai-khoan/xac-nhan-cap-quyen/<int:request_id>/tu-choi/",
        views.grant_decline,
        name="grant_decline",
    ),
]
