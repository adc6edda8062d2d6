from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "redress.records"
    label = "records"
    verbose_name = "Records management"

    def ready(self) -> None:
        from redress.core.scheduling import daily, register_job

        from .tasks import disposition_daily

        register_job("records.disposition", disposition_daily, period=daily)
