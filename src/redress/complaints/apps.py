from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "redress.complaints"
    label = "complaints"

    def ready(self) -> None:
        from . import document_access  # noqa: F401  (registers who reads a complaint's own documents)
        from . import shared_documents as _shared  # noqa: F401  (other agencies' readers: grants, referrals)
