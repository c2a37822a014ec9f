from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "initiatives"
    verbose_name = "실행계획"
