from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "redress.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from redress.core.scheduling import every_run, register_job

        from .tasks import outbox_retry_job

        register_job("outbox.retry", outbox_retry_job, period=every_run)
