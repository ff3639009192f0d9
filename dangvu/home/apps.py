from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The site's own pages: the home page and the menus every page shows."""

    name = "dangvu.home"
    label = "home"
    verbose_name = "Trang chủ"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app plugs its things to do into the home page in its own `todo.py`.
        autodiscover_modules("todo")
