from django.urls import path

from dangvu.units import views

app_name = "units"
urlpatterns = [
    path("", views.tree, name="tree"),
    # Before "<code>/": the unit picker's search (units/picker.html).
    path("chon-don-vi/", views.pick, name="pick"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/con/", views.children, name="children"),
    path("<str:code>/thanh-lap/", views.create_child, name="create"),
    path("<str:code>/doi-ten/", views.rename, name="rename"),
    path("<str:code>/chuyen/", views.move, name="move"),
    path("<str:code>/sap-nhap/", views.merge, name="merge"),
    path("<str:code>/chia-tach/", views.split, name="split"),
    path("<str:code>/giai-the/", views.dissolve, name="dissolve"),
]
