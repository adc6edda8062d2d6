"""Shared pytest fixtures: users in every role, built through the services."""

pytest_plugins = ["tests.fixtures"]
