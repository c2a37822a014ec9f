from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "실적 보고·평가"

    def ready(self) -> None:
        from reports.progress import signals

        signals.connect()
