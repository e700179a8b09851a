from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app may use and that holds no models: the Vietnamese ways of writing
    dates and amounts (``core.formatting``), their template filters, the date field every
    form uses (``core.forms``), the search backend (``core.search``) and safe spreadsheet
    exports (``core.spreadsheets``)."""

    name = "core"
    verbose_name = "Dùng chung"

    def ready(self):
        from . import spreadsheets

        spreadsheets.install()
