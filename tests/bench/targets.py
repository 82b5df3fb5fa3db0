"""The pages the benchmark requests (needs Django set up): one of each measured type, and the
mix of pages and searches of both sites in both languages that the load runs cycle through."""

import json
import sys
from urllib.parse import urlencode

LIGHT = "light.localhost"
# A common phrase, so that the search ranks many pages, and more with --scale.
SEARCH_QUERY = "cộng đồng"
# About one request in ten of the mix is a search, as on a site people mostly browse.
MIX_SEARCHES = {
    "vi": ["cộng đồng", "bao luc gioi", "sinh kế"],
    "en": ["community", "gender-based violence", "livelihoods"],
}
PAGE_TYPES = [
    "home",
    "programme_area",
    "programme",
    "story_index",
    "story_index_last",
    "story",
    "search",
]


def first(queryset):
    """The first page by tree position: a demo page, since generated ones are added after."""
    return queryset.live().order_by("path").first()


def page_targets(hostname=LIGHT, language="vi"):
    """{page type: path} on one site in one language."""
    from pages.models import StoryIndexPage, StoryPage
    from programmes.models import ProgrammeAreaPage, ProgrammePage
    from tests.helpers import home_of, path_of

    home = home_of(hostname, language)
    story_index = first(StoryIndexPage.objects.child_of(home))
    stories = StoryPage.objects.child_of(story_index).live().public().count()
    last_page = max(1, -(-stories // StoryIndexPage.stories_per_page))
    return {
        "home": path_of(home),
        "programme_area": path_of(first(ProgrammeAreaPage.objects.descendant_of(home))),
        "programme": path_of(first(ProgrammePage.objects.descendant_of(home))),
        "story_index": path_of(story_index),
        "story_index_last": f"{path_of(story_index)}?page={last_page}",
        "story": path_of(first(StoryPage.objects.child_of(story_index))),
        "search": f"/{language}/search/?{urlencode({'q': SEARCH_QUERY})}",
    }


def mix(story_pages=5, pages_per_site=60):
    """(host, path) pairs: pages of every type, listing pages and searches, on both sites.

    Each site and language contributes its first pages_per_site pages by tree position (every
    demo page, with --scale also generated ones), the first story_pages pages of its story
    listing and a few searches.
    """
    from wagtail.models import Site

    from pages.models import StoryIndexPage
    from tests.helpers import home_of, path_of

    pairs = []
    for site in Site.objects.order_by("-is_default_site", "hostname"):
        for language in ("vi", "en"):
            home = home_of(site.hostname, language)
            pages = home.get_descendants(inclusive=True).live().public().order_by("path")
            pairs += [(site.hostname, path_of(page)) for page in pages[:pages_per_site]]
            story_index = first(StoryIndexPage.objects.child_of(home))
            if story_index:
                pairs += [
                    (site.hostname, f"{path_of(story_index)}?page={number}")
                    for number in range(2, story_pages + 1)
                ]
            pairs += [
                (site.hostname, f"/{language}/search/?{urlencode({'q': query})}")
                for query in MIX_SEARCHES[language]
            ]
    return pairs


if __name__ == "__main__":
    import django

    django.setup()
    json.dump({"pages": page_targets(), "mix": mix()}, sys.stdout, ensure_ascii=False)
