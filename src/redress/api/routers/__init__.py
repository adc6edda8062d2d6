from __future__ import annotations

from ninja import NinjaAPI


def register_routers(api: NinjaAPI) -> None:
    from . import meta

    api.add_router("/", meta.router)
