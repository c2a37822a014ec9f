from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes under a Korean name in the admin (axes gives its app none, so the admin showed "Axes")."""

    verbose_name = "로그인 제한"
