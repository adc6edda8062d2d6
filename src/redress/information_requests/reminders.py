"""Automatic IR reminders (N10)."""

from __future__ import annotations


def ir_reminders_job() -> str:
    return "0 reminders"
