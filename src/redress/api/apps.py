from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "redress.api"
    label = "api"

    def ready(self) -> None:
        from redress.core.scheduling import daily, register_job

        from .housekeeping import purge_idempotency_records

        register_job("api.idempotency_purge", purge_idempotency_records, period=daily)
