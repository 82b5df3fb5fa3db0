"""What keeps listings and search fast with many pages (issue #7, `load_demo_content --scale`).

The indexes the listings and the search are read through, checked against the SQL the pages
really send (so that a change of ordering or of Wagtail's search query shows up here), and
the paginator that reads the last pages of a listing from the far end.
"""

import datetime
from urllib.parse import urlencode

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.backends.database import SearchBackend as wagtail_database_backend

from demo.scale import scale_demo_content
from pages.listings import ListingPaginator
from pages.models import StoryIndexPage, StoryPage
from programmes.models import ProgrammeAreaPage, ProgrammePage
from sitesearch.backend import MATCHED_VECTOR, SearchBackend
from sitesearch.views import ranked_matches
from tests.conftest import LIGHT
from tests.factories import StoryPageFactory
from tests.helpers import home_of, path_of
from tests.test_content import QUERY_BUDGET, content_changed, queries_to_get

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="reads PostgreSQL's query plans (EXPLAIN, planner settings) and its search index, "
    "which SQLite has not; CI runs both engines",
)


def story_index():
    return StoryIndexPage.objects.descendant_of(home_of(LIGHT, "vi")).get()


def add_stories(count, date=None):
    index = story_index()
    extra = {"date": date} if date else {}
    return [StoryPageFactory(parent=index, **extra) for _ in range(count)]


def sent_sql(client, path, hostname=LIGHT):
    """The SQL a page sends, rendered a second time (the first fills the shared cache)."""
    client.get(path, HTTP_HOST=hostname)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, HTTP_HOST=hostname).status_code == 200
    return [query["sql"] for query in captured]


def plan(sql, **planner_settings):
    """PostgreSQL's plan for the statement, with some of the planner's choices switched off.

    The test database holds a few dozen pages, for which reading a whole table wins; turning
    that choice off shows whether an index *can* serve the statement, as it must at scale.
    """
    with connection.cursor() as cursor:
        for name, value in planner_settings.items():
            cursor.execute(f"SET LOCAL {name} = {value}")  # rolled back with the test
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


# The story listings


def test_stories_have_a_newest_first_index():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "pages_storypage")

    index = constraints["pages_story_newest_first"]
    assert index["index"]
    assert index["columns"] == ["date", "page_ptr_id"]
    assert index["orders"] == ["DESC", "DESC"]


@on_postgresql
def test_the_story_index_reads_its_first_and_last_pages_through_the_index(client):
    add_stories(30)
    path = path_of(story_index())

    for page_number, scan in ((1, "Index Scan using"), (3, "Index Scan Backward using")):
        listing = next(
            sql
            for sql in sent_sql(client, f"{path}?page={page_number}")
            if 'ORDER BY "pages_storypage"."date"' in sql
        )
        assert "OFFSET" not in listing  # the last page too starts from its own end
        assert f"{scan} pages_story_newest_first" in plan(listing, enable_sort="off")


@on_postgresql
def test_the_home_page_reads_its_latest_stories_through_the_index(client):
    latest = next(
        sql
        for sql in sent_sql(client, path_of(home_of(LIGHT, "vi")))
        if 'ORDER BY "pages_storypage"."date"' in sql
    )
    assert "pages_story_newest_first" in plan(latest, enable_sort="off")


def test_every_page_of_the_story_index_lists_each_story_once_newest_first(client):
    add_stories(15)
    add_stories(12, date=datetime.date(2022, 5, 1))  # ties, which the primary key orders
    index = story_index()
    expected = list(
        StoryPage.objects.child_of(index)
        .live()
        .order_by("-date", "-pk")
        .values_list("pk", flat=True)
    )
    pages = -(-len(expected) // index.stories_per_page)
    assert pages >= 3

    listed = []
    for number in range(1, pages + 1):
        response = client.get(path_of(index), {"page": number}, HTTP_HOST=LIGHT)
        stories = response.context["stories"]
        assert (stories.number, stories.paginator.count) == (number, len(expected))
        listed += [story.pk for story in stories.object_list]

    assert listed == expected


def test_a_tag_filter_counts_and_pages_only_the_tagged_stories(client):
    tagged = add_stories(14)
    for story in tagged:
        story.tags.add("thẻ thử nghiệm")
        story.save()
    add_stories(5)
    slug = Tag.objects.get(name="thẻ thử nghiệm").slug
    path = path_of(story_index())

    first = client.get(path, {"tag": slug}, HTTP_HOST=LIGHT)
    second = client.get(path, {"tag": slug, "page": 2}, HTTP_HOST=LIGHT)

    assert first.context["stories"].paginator.count == len(tagged)
    shown = [story.pk for page in (first, second) for story in page.context["stories"]]
    assert sorted(shown) == sorted(story.pk for story in tagged)


@pytest.mark.parametrize("per_page", [1, 5, 12])
@pytest.mark.parametrize("orphans", [0, 3])
def test_reading_from_the_far_end_gives_the_pages_offset_gives(per_page, orphans):
    pages = Page.objects.order_by("path")  # a tree path is unique: a total order
    plain = Paginator(pages, per_page, orphans=orphans)
    from_both_ends = ListingPaginator(pages, per_page, orphans=orphans)

    assert from_both_ends.num_pages == plain.num_pages > 1
    for number in plain.page_range:
        assert list(from_both_ends.page(number)) == list(plain.page(number)), number


def test_a_listing_is_counted_by_the_queryset_given_for_counting():
    listed = Page.objects.order_by("path")
    counted = Page.objects.filter(depth__gt=1)

    paginator = ListingPaginator(listed, 5, counted=counted)

    assert paginator.count == counted.count() < listed.count()


# Programme areas filtered by status, funder, province and year (issue #22)


def test_a_programme_area_filters_generated_programmes_at_the_same_cost(client):
    area = ProgrammeAreaPage.objects.descendant_of(home_of(LIGHT, "vi")).order_by("path").first()
    programmes = ProgrammePage.objects.child_of(area).live()
    scale_demo_content(50)
    content_changed()
    generated = programmes.exclude(start_date=None).order_by("path").first()
    query = {
        "status": generated.status,
        "funder": generated.partner_links.get(role="1").partner_id,
        "province": generated.locations.get().province,
        "year": generated.start_date.year,
    }
    path = f"{path_of(area)}?{urlencode(query)}"
    small, few = queries_to_get(client, path, LIGHT), programmes.count()

    scale_demo_content(500)
    content_changed()
    large, many = queries_to_get(client, path, LIGHT), programmes.count()

    assert many >= few + 4
    assert large == small <= QUERY_BUDGET, f"{small} queries, then {large}"
    assert generated in client.get(path, HTTP_HOST=LIGHT).context["programmes"]
    by_status = client.get(path_of(area), {"status": "4"}, HTTP_HOST=LIGHT).context["programmes"]
    closed = list(programmes.filter(status="4").order_by("path"))
    assert (by_status.paginator.count, list(by_status)) == (len(closed), closed[:12])


# Site search on PostgreSQL


def search_sql(client, query):
    """The statement that finds a search's matches (the one that reads the search index)."""
    return next(
        sql
        for sql in sent_sql(client, f"/vi/search/?q={query}")
        if "wagtailsearch_indexentry" in sql and "wagtailcore_page" in sql
    )


@on_postgresql
def test_a_common_word_reads_the_newest_pages_and_stops(client):
    sql = search_sql(client, "cong+dong")

    # Newest first through the page index, each page looked up in the search index by its
    # own content type and id: the work ends when the window is full, however many match.
    newest = plan(sql, enable_seqscan="off", enable_bitmapscan="off", enable_sort="off")
    assert "Index Scan Backward using wagtailcore_page_first_published_at" in newest
    assert "wagtailsearch_indexentry_content_type_id_object_i" in newest
    assert "content_type_id = wagtailcore_page.content_type_id" in newest
    assert "LIMIT 201" in sql


@on_postgresql
def test_a_rare_word_is_found_through_the_title_and_body_index(client):
    sql = search_sql(client, "cong+dong")

    # When few pages match, reading them through the expression index of migration pages 0010
    # beats walking the pages newest first.
    assert "pages_indexentry_title_body_gin" in plan(
        sql,
        enable_seqscan="off",
        enable_indexscan="off",
        enable_nestloop="off",
        enable_mergejoin="off",
    )


# How Wagtail's PostgreSQL backend matches a query: the two vectors of an entry, concatenated.
MATCHED = '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@'


@on_postgresql
def test_the_lean_backend_finds_what_wagtails_finds_without_selecting_the_vector():
    ours = SearchBackend({"SEARCH_CONFIG": "english"})
    wagtails = wagtail_database_backend({"SEARCH_CONFIG": "english"})
    pages = Page.objects.live().descendant_of(home_of(LIGHT, "vi"))

    with CaptureQueriesContext(connection) as captured:
        found = [page.pk for page in ours.search("cong dong", pages, operator="and")]
    expected = [page.pk for page in wagtails.search("cong dong", pages, operator="and")]

    assert found and found == expected
    assert MATCHED in captured[0]["sql"]  # still matched on, in the WHERE clause
    assert f'AS "{MATCHED_VECTOR}"' not in captured[0]["sql"]


@on_postgresql
def test_the_search_ranks_the_pages_of_its_window_as_wagtail_does():
    wagtails = wagtail_database_backend({"SEARCH_CONFIG": "english"})
    pages = Page.objects.live().descendant_of(home_of(LIGHT, "vi"))
    add_stories(12)  # each mentions "cộng đồng" once, as most demo pages do more often

    ranked, more = ranked_matches(pages, "cong dong")

    expected = [page.pk for page in wagtails.search("cong dong", pages, operator="and")]
    assert len(ranked) > 12 and not more
    assert ranked == expected


def test_the_search_backend_is_wagtails_own_away_from_postgresql():
    ours = SearchBackend({"SEARCH_CONFIG": "english"})
    wagtails = wagtail_database_backend({"SEARCH_CONFIG": "english"})

    if connection.vendor == "postgresql":
        assert isinstance(ours, type(wagtails))
        assert ours.query_compiler_class.__module__ == "sitesearch.backend"
    else:
        assert type(ours) is type(wagtails)
