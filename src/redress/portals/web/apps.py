from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "redress.portals.web"
    label = "web"
