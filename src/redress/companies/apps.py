from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "redress.companies"
    label = "companies"
