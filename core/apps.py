from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app may use and that holds no models: for now the Vietnamese ways of
    writing dates and amounts (``core.formatting``), their template filters and the date
    field every form uses (``core.forms``)."""

    name = "core"
    verbose_name = "Dùng chung"
