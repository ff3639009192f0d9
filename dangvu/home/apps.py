from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The site's own pages: the home page and the menus every page shows."""

    name = "dangvu.home"
    label = "home"
    verbose_name = "Trang chủ"
