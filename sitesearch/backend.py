"""Wagtail's database search backend, with a PostgreSQL query that stays fast as the site grows.

Set as WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "sitesearch.backend". On SQLite (and
any other database) it is Wagtail's own backend, unchanged.

On PostgreSQL, Wagtail's backend (modelsearch) matches the query against the concatenated vector
`title || body` of each index entry, and selects that vector as a column of every match, which
nothing reads. PostgreSQL works out the select list of every match before it sorts them by
relevance and keeps one page, so a common word paid for concatenating two vectors per match,
most of the search's time on a large site (docs/benchmarks.md). Here the vector stays in the
WHERE clause (where the expression index of migration pages 0010 serves it) and out of the
select list; the results are the same.

The site's own search goes further (sitesearch/views.py, ranked_matches): it ranks only the pages
that `newest_matches` finds, newest first, up to a window, rather than every match.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db.models import CharField, Exists, F, OuterRef, Subquery
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from wagtail.search.backends.database import SearchBackend as database_backend
from wagtail.search.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)

from config import internals

# The name the backend gives the matched vector (PostgresSearchQueryCompiler.search).
MATCHED_VECTOR = "_vector_"
# Pages first published last come first, as the index on first_published_at reads backwards;
# there, a live page that has no date (never published through Wagtail) comes before any.
NEWEST_FIRST = (F("first_published_at").desc(nulls_first=True), F("id").desc())


class LeanSearchQueryCompiler(PostgresSearchQueryCompiler):
    def search(self, *args, **kwargs):
        queryset = super().search(*args, **kwargs)
        # As QuerySet.alias() would have it: still filtered on, no longer selected.
        internals.stop_selecting(queryset.query, {MATCHED_VECTOR})
        return queryset


class LeanPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = LeanSearchQueryCompiler

    def newest_matches(self, pages, words, limit):
        """[(id, relevance)] of the `limit` pages first published last that match all the words.

        Relevance is Wagtail's own (title and body ranks, as its search orders by). Each page
        is looked up in the index by its own content type, newest page first, until `limit`
        have matched: a word found on thousands of pages costs no more than a rare one.
        """
        compiler = self.query_compiler_class(pages, words, operator="and")
        config = compiler.get_config(self)
        matching = compiler.build_tsquery(compiler.query, config=config)

        def rank(vector):
            return compiler.build_tsrank(vector, compiler.query, config=config)

        # As Wagtail's search ranks (PostgresSearchQueryCompiler.get_index_vectors).
        relevance = rank(F("title")) * F("title_norm") + rank(F("body"))
        entry = IndexEntry.objects.filter(
            content_type_id=OuterRef("content_type_id"),
            object_id=Cast(OuterRef("pk"), CharField(max_length=50)),
        )
        # The expression that the index of migration pages 0010 is built on.
        vector = CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())
        found = (
            pages.filter(Exists(entry.alias(vector=vector).filter(vector=matching)))
            .annotate(relevance=Subquery(entry.annotate(rank=relevance).values("rank")))
            .order_by(*NEWEST_FIRST)
            .values_list("pk", "relevance")
        )
        return list(found[:limit])


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database_backend(params)
    if isinstance(backend, PostgresSearchBackend):
        return LeanPostgresSearchBackend(params)
    return backend
