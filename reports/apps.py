from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "실적 보고·평가"

    def ready(self) -> None:
        from reports.briefing import jobs as briefing_jobs  # noqa: F401 (each registers its kinds' work)
        from reports.evaluation import jobs as evaluation_jobs  # noqa: F401
        from reports.notifications import jobs as notification_jobs  # noqa: F401
        from reports.progress import signals
        from reports.spreadsheets import jobs as spreadsheet_jobs  # noqa: F401

        signals.connect()
