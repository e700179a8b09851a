from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app may use and that holds no models: the Vietnamese ways of writing
    dates and amounts (``core.formatting``), their template filters, the date field every
    form uses (``core.forms``), the page cache (``core.caching``), task queueing
    (``core.queueing``), pagination, the security headers and middleware, the search backend
    (``core.search``) and safe spreadsheet exports (``core.spreadsheets``). It imports no
    other app of the project; apps declare on their AppConfig what concerns it."""

    name = "core"
    verbose_name = "Dùng chung"

    def ready(self):
        from . import caching, spreadsheets

        caching.connect_invalidation()
        spreadsheets.install()
