"""RSS feeds of each site's stories, one per language."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from pages.chrome import visible
from pages.models import HomePage, StoryPage

FEED_LENGTH = 20


def path_of(page):
    """The page's path on its own site; the feed framework adds the host the reader used."""
    return page.get_url_parts()[2]


class StoriesFeed(Feed):
    def get_object(self, request):
        site = Site.find_for_request(request)
        if site is None:
            raise Http404
        home = HomePage.objects.filter(
            translation_key=site.root_page.translation_key, locale__language_code=get_language()
        ).first()
        if home is None:
            raise Http404
        # Listed here, where the request is at hand, like every listing of visible pages.
        home.feed_stories = (
            visible(StoryPage.objects.descendant_of(home), request)
            .prefetch_related("tags")
            .order_by("-date", "-pk")[:FEED_LENGTH]
        )
        return home

    def title(self, home):
        return _("%(organisation)s: stories") % {"organisation": home.organisation_name}

    def link(self, home):
        return path_of(home)

    def description(self, home):
        return home.tagline

    def items(self, home):
        return home.feed_stories

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return story.summary

    def item_link(self, story):
        return path_of(story)

    def item_pubdate(self, story):
        return timezone.make_aware(datetime.datetime.combine(story.date, datetime.time(12)))

    def item_author_name(self, story):
        return story.author or None

    def item_categories(self, story):
        return [tag.name for tag in story.tags.all()]
