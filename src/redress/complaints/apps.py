from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


class ComplaintsConfig(AppConfig):
    name = "redress.complaints"
    label = "complaints"

    def ready(self) -> None:
        from redress.agencies.models import Agency
        from redress.agencies.role_guards import register_role_change_guard

        from . import document_access  # noqa: F401  (registers who reads a complaint's own documents)
        from . import shared_documents as _shared  # noqa: F401  (other agencies' readers: grants, referrals)
        from .agency_roles import refuse_role_without_poc_duties

        register_role_change_guard("complaints.agency_poc", refuse_role_without_poc_duties)
        post_save.connect(_seed_categories, sender=Agency, dispatch_uid="redress.complaints.seed_categories")


def _seed_categories(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    """Every agency starts with the default category list, however it was created."""
    if created and not raw:
        from .categories import categories_seed_defaults

        categories_seed_defaults(agency_id=instance.pk)
