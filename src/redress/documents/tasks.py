"""Periodic document housekeeping."""

from __future__ import annotations

from .services import documents_sweep_orphans

__all__ = ["documents_sweep_orphans"]
