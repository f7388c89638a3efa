from django.apps import AppConfig


class ThemeConfig(AppConfig):
    name = "akhbar.theme"
    label = "theme"
