"""Wagtail's database search backend, with what people type kept out of SQLite's
full-text syntax.

modelsearch 1.3.2 (the search of Wagtail 8.0.1) writes each word of a query into an FTS5
``MATCH`` expression as ``"word"`` without escaping a double quote inside it: ``a"b``
closes the string early and SQLite stops with "unterminated string", a 500 for
``/api/v2/pages/?search=a%22b``, ``/api/v3/pages/?search=%22``, the documents API and
the admin's document search. ``core.search.sqlite`` escapes it. PostgreSQL receives the
query as a parameter of its own parser and needs nothing.

``WAGTAILSEARCH_BACKENDS`` names this package; it picks the backend for the database as
Wagtail's ``wagtail.search.backends.database`` does.
"""

from modelsearch.backends.database import SearchBackend as database_backend


def SearchBackend(params):  # the name Wagtail looks for in a backend module
    backend = database_backend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        # Imported only here: its models exist only when the database is SQLite.
        from .sqlite import EscapedSQLiteSearchBackend

        return EscapedSQLiteSearchBackend(params)
    return backend
