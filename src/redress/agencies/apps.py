from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "redress.agencies"
    label = "agencies"
