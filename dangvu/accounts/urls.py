from django.urls import path

from dangvu.accounts import views, views_signin

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views_signin.LoginView.as_view(), name="login"),
    path("dang-nhap/ma-xac-thuc/", views_signin.signin_code, name="signin_code"),
    path("dang-nhap/doi-mat-khau/", views_signin.signin_password, name="signin_password"),
    path("dang-nhap/bat-xac-thuc/", views_signin.signin_enrol, name="signin_enrol"),
    path("dang-xuat/", views_signin.logout_view, name="logout"),
    path("tai-khoan-cua-toi/", views_signin.me, name="me"),
    path("tai-khoan-cua-toi/mat-khau/", views_signin.password_change, name="password_change"),
    path("tai-khoan-cua-toi/xac-thuc-hai-buoc/", views_signin.two_factor, name="two_factor"),
    path(
        "tai-khoan-cua-toi/xac-thuc-hai-buoc/tat/",
        views_signin.two_factor_disable,
        name="two_factor_disable",
    ),
    path(
        "tai-khoan-cua-toi/xac-thuc-hai-buoc/ma-khoi-phuc/",
        views_signin.recovery_codes,
        name="recovery_codes",
    ),
    path("tai-khoan-cua-toi/phien/", views_signin.sessions, name="sessions"),
    path(
        "tai-khoan-cua-toi/phien/dang-xuat-noi-khac/",
        views_signin.sessions_end_others,
        name="sessions_end_others",
    ),
    path("ho-so-cua-toi/", views.own_record, name="own_record"),
    path("tai-khoan/", views.account_list, name="list"),
    path("tai-khoan/moi/", views.account_create_view, name="create"),
    path("tai-khoan/<int:user_id>/", views.account_detail, name="detail"),
    path(
        "tai-khoan/<int:user_id>/dat-lai-mat-khau/",
        views_signin.password_reset,
        name="password_reset",
    ),
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
