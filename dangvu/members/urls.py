from django.urls import path

from dangvu.members import views

app_name = "members"
urlpatterns = [
    path("", views.search, name="search"),
    path("them/<str:cell_code>/", views.create, name="create"),
    path("<str:card_number>/", views.detail, name="detail"),
    path("<str:card_number>/sua/", views.edit, name="edit"),
    path("<str:card_number>/chuyen-sinh-hoat/", views.transfer, name="transfer"),
    path("<str:card_number>/ra-khoi-dang/", views.leave, name="leave"),
]
