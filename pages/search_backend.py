"""Wagtail's database search backend, with a PostgreSQL query that stays fast as the site grows.

Set as WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "pages.search_backend". On SQLite (and
any other database) it is Wagtail's own backend, unchanged.

On PostgreSQL, Wagtail's backend (modelsearch) matches the query against the concatenated
vector `title || body` of each index entry, and selects that vector as a column of every
match, which nothing reads. PostgreSQL works out the select list of every match before it
sorts them by relevance and keeps one page: concatenating two vectors for each of the 5,000
pages that a common word matches at `load_demo_content --scale 10000` was half the time of the
search. Here the vector stays in the WHERE clause (where the expression index of migration
pages 0010 serves it) and out of the select list; the results are the same.
"""

from wagtail.search.backends.database import SearchBackend as database_backend
from wagtail.search.backends.database.postgres.postgres import (
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)

# The name the backend gives the matched vector (PostgresSearchQueryCompiler.search).
MATCHED_VECTOR = "_vector_"


class LeanSearchQueryCompiler(PostgresSearchQueryCompiler):
    def search(self, *args, **kwargs):
        queryset = super().search(*args, **kwargs)
        selected = set(queryset.query.annotation_select)
        if MATCHED_VECTOR in selected:
            # As QuerySet.alias() would have it: still filtered on, no longer selected.
            queryset.query.set_annotation_mask(selected - {MATCHED_VECTOR})
        return queryset


class LeanPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = LeanSearchQueryCompiler


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database_backend(params)
    if isinstance(backend, PostgresSearchBackend):
        return LeanPostgresSearchBackend(params)
    return backend
