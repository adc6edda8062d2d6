from django.apps import AppConfig


class InformationRequestsConfig(AppConfig):
    name = "redress.information_requests"
    label = "information_requests"
    verbose_name = "Information Requests"

    def ready(self) -> None:
        from redress.core.scheduling import daily, register_job

        from . import attachments  # noqa: F401  (registers the response-document reading rule)
        from .reminders import ir_reminders_job

        register_job("ir.reminders", ir_reminders_job, period=daily)
