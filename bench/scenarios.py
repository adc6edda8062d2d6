"""Benchmarks of the read paths users wait on (lists, searches, API pages)."""

from __future__ import annotations

from collections.abc import Callable


def run_all(results: dict[str, object], timed: Callable[..., dict[str, float]]) -> None:
    """Each scenario adds one entry to ``results``."""
