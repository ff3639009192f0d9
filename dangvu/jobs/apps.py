from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "dangvu.jobs"
    label = "jobs"
    verbose_name = "Việc chạy nền"

    def ready(self) -> None:
        # Each app declares the kinds of job it runs in its own `jobs.py`.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
