"""Site search that ignores Vietnamese diacritics: "bao luc gioi" finds "bạo lực giới".

Every page also indexes a transliterated copy of its text (BasePage.transliterated_text), and
queries are transliterated the same way, so the match works on PostgreSQL's full-text search
and on SQLite alike. Results show the original text with the matched words highlighted.
"""

import re
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.template.response import TemplateResponse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import normalise_query_string

from pages.chrome import site_chrome, visible
from pages.listings import paginate
from pages.text import transliterate
from seo.meta import page_summaries
from sitesearch.backend import NEWEST_FIRST

MAX_QUERY_LENGTH = 200
REFUSED_QUERY_LENGTH = 2000  # longer is not a search but an abuse: answer 400
RESULTS_PER_PAGE = 10
# The most recently published matches that a search ranks (see ranked_matches).
RANKED_WINDOW = 200
DOCUMENTS_SHOWN = 5
SNIPPET_LENGTH = 220
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def search_words(queryset, text, **kwargs):
    """queryset.search(text), safe from what the search backend cannot take (a 500 each)."""
    words = safe_words(text)
    return queryset.search(words, **kwargs) if words else queryset.none()


def safe_words(text):
    """The text, with nothing in it that the search backends fail on, or "" if no words are left.

    SQLite's full-text index reads a double quote as the start of a phrase and fails on one
    that Wagtail leaves open; it separates words anyway, as a space does. And Wagtail fails
    on a query with no words at all.
    """
    words = text.replace('"', " ")
    return words if words.split() else ""


def ranked_matches(pages, text):
    """Ids of the pages that match all the words, most relevant first; and whether more matched.

    Only the RANKED_WINDOW matches first published last are ranked. Ranking every match of a
    common word made a search grow with the site (docs/benchmarks.md); these are found newest
    first and stop at the window, so a common word costs what a rare one does. A search that
    matches more says so, and a word more narrows it.
    """
    words = safe_words(text)
    if not words:
        return [], False
    backend = get_search_backend()
    if hasattr(backend, "newest_matches"):  # PostgreSQL: sitesearch/backend.py
        newest = backend.newest_matches(pages, words, RANKED_WINDOW + 1)
        window = sorted(newest[:RANKED_WINDOW], key=lambda match: (-match[1], -match[0]))
        ranked = [pk for pk, _relevance in window]
    else:
        newest = [
            page.pk
            for page in pages.order_by(*NEWEST_FIRST).search(
                words, operator="and", order_by_relevance=False
            )[: RANKED_WINDOW + 1]
        ]
        window = Page.objects.filter(pk__in=newest[:RANKED_WINDOW])
        ranked = [page.pk for page in window.search(words, operator="and")]
    return ranked, len(newest) > RANKED_WINDOW


def clean_query(raw):
    """What is left of a visitor's query after dropping control bytes and excess length."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", raw or "").split())[:MAX_QUERY_LENGTH]


def highlight(text, query, length=SNIPPET_LENGTH):
    """A window of the text around the first match, matched words wrapped in <mark>.

    Matching is done on the transliteration of each character, so "cong dong" marks
    "cộng đồng" in the original text.
    """
    terms = [term for term in transliterate(query).split() if len(term) > 1]
    # owner[i] is the original character that folded position i came from.
    owner = [i for i, character in enumerate(text) for _ in transliterate(character)]
    flat = "".join(transliterate(character) for character in text)
    spans = [
        (owner[match.start()], owner[match.end() - 1] + 1)
        for term in terms
        for match in re.finditer(re.escape(term), flat)
    ]
    spans = merge(sorted(spans))
    begin = max(0, spans[0][0] - length // 3) if spans else 0
    end = min(len(text), begin + length)
    pieces, cursor = [], begin
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        pieces.append(escape(text[cursor:start]))
        pieces.append(f"<mark>{escape(text[start:stop])}</mark>")
        cursor = stop
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 (every piece is escaped)


def merge(spans):
    merged = []
    for start, stop in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged


def search_view(request):
    raw = request.GET.get("q", "")
    if len(raw) > REFUSED_QUERY_LENGTH:
        raise BadRequest("The search query is too long.")
    query = clean_query(raw)
    context = {
        "query": query,
        "page_query": urlencode({"q": query}),
        "results": None,
        "more_results": False,
        "ranked_window": RANKED_WINDOW,
        "promotions": [],
        "documents": [],
    }
    home = home_for(request)
    if query and home is not None:
        results, more_results = page_results(request, home, query)
        context.update(
            results=results,
            more_results=more_results,
            promotions=promotions(home, query),
            documents=list(
                search_words(get_document_model().objects.all(), query)[:DOCUMENTS_SHOWN]
            ),
        )
    return TemplateResponse(request, "search/search.html", context)


def home_for(request):
    return site_chrome(request)["home"]


def page_results(request, home, query):
    """One page of ranked results from this site in this language, each with a snippet; and
    whether more pages matched than were ranked."""
    ranked, more = ranked_matches(
        visible(Page.objects.descendant_of(home, inclusive=True), request), transliterate(query)
    )
    results = paginate(request, ranked, RESULTS_PER_PAGE)
    pages = sorted(
        Page.objects.filter(pk__in=results.object_list),
        key=lambda page: results.object_list.index(page.pk),
    )
    summaries = page_summaries(pages)
    results.object_list = [
        {"page": page, "snippet": highlight(summaries.get(page.pk, ""), query)} for page in pages
    ]
    return results, more


def promotions(home, query):
    """Pages that editors promoted for this query, on this site and in this language."""
    picks = Query.objects.filter(query_string=normalise_query_string(query)).values_list(
        "editors_picks", flat=True
    )
    return [
        pick
        for pick in SearchPromotion.objects.filter(pk__in=picks).select_related("page")
        if pick.page is None or (pick.page.live and pick.page.path.startswith(home.path))
    ]
