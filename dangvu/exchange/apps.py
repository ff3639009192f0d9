from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "dangvu.exchange"
    label = "exchange"
    verbose_name = "Trao đổi dữ liệu"

    def ready(self) -> None:
        # Each app declares its sheets in its own `exchange.py`.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("exchange")
