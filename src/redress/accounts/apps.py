from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "redress.accounts"
    label = "accounts"
