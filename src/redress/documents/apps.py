from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "redress.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from redress.core.scheduling import daily, register_job

        from .services import documents_sweep_orphans

        register_job("documents.orphan_sweep", documents_sweep_orphans, period=daily)
