from __future__ import annotations

from ninja import NinjaAPI


def register_routers(api: NinjaAPI) -> None:
    from . import agencies, audit, categories, companies, complaints, documents, enrollment, meta, tokens

    api.add_router("/", meta.router)
    api.add_router("/", tokens.router)
    api.add_router("/", audit.router)
    api.add_router("/", agencies.router)
    api.add_router("/", companies.router)
    api.add_router("/", documents.router)
    api.add_router("/", complaints.router)
    api.add_router("/", categories.router)

    from . import subjects

    api.add_router("/", subjects.router)
    api.add_router("/", enrollment.router)

    from . import information_requests

    api.add_router("/", information_requests.router)
    api.add_router("/", information_requests.company_router)

    from . import records

    api.add_router("/", records.router)

    from . import supervisory_activities

    api.add_router("/", supervisory_activities.router)

    from . import sharing

    api.add_router("/", sharing.router)

    from . import reports

    api.add_router("/", reports.router)
