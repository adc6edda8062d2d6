from django.apps import AppConfig


class CompanyPortalConfig(AppConfig):
    name = "redress.portals.company"
    label = "company_portal"
    verbose_name = "Company portal"
