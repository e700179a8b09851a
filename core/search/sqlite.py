"""SQLite's FTS5 search with each double quote of a query escaped.

In FTS5 a double quote inside a string is written twice (SQLite, "FTS5 Full-text Query
Syntax", 3.1 FTS5 Strings); the tokenizer then treats it as any other punctuation, so
``khai"sinh`` finds what ``khai-sinh`` finds.
"""

from copy import copy

from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteAutocompleteQueryCompiler,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import Phrase, PlainText


def fts5_escaped(text):
    """``text`` as the inside of an FTS5 string: each double quote doubled."""
    return text.replace('"', '""')


class EscapedQueryMixin:
    """Escape the words and phrases of a query before the compiler quotes them."""

    def build_search_query_content(self, query, config=None):
        if isinstance(query, (PlainText, Phrase)) and '"' in query.query_string:
            query = copy(query)
            query.query_string = fts5_escaped(query.query_string)
        return super().build_search_query_content(query, config=config)


class EscapedSearchQueryCompiler(EscapedQueryMixin, SQLiteSearchQueryCompiler):
    pass


class EscapedAutocompleteQueryCompiler(EscapedQueryMixin, SQLiteAutocompleteQueryCompiler):
    pass


class EscapedSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = EscapedSearchQueryCompiler
    autocomplete_query_compiler_class = EscapedAutocompleteQueryCompiler
