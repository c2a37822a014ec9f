from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "측정 도구"
