"""Redress: consumer complaint handling for state financial regulators."""
