"""The queries behind page listings: each runs a fixed number of SQL queries, whatever the size."""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from taggit.models import Tag

FIGURES_ON_HOME = 3


def home_page_context(home):
    from pages.models import AchievementsPage, StoryPage
    from programmes.models import Partner, ProgrammeAreaPage

    areas = [
        link.area
        for link in home.featured_areas.select_related("area", "area__image").prefetch_related(
            "area__image__renditions"
        )
        if link.area.live
    ]
    if not areas:
        areas = list(
            ProgrammeAreaPage.objects.descendant_of(home)
            .live()
            .public()
            .select_related("image")
            .prefetch_related("image__renditions")
        )

    figures = [block.value for block in home.featured_figures]
    if not figures:
        achievements = (
            AchievementsPage.objects.descendant_of(home).live().public().only("figures").first()
        )
        if achievements:
            figures = [block.value for block in achievements.figures[:FIGURES_ON_HOME]]

    stories = (
        StoryPage.objects.descendant_of(home)
        .live()
        .public()
        .select_related("image")
        .prefetch_related("image__renditions")
        .order_by("-date", "-pk")[: home.latest_stories_count]
    )

    partners = [
        link.partner for link in home.featured_partners.select_related("partner", "partner__logo")
    ]
    if not partners:
        partners = list(
            Partner.objects.filter(
                locale_id=home.locale_id,
                programme_links__page__path__startswith=home.path,
            )
            .distinct()
            .select_related("logo")
        )

    return {
        "featured_areas": areas,
        "figures": figures,
        "latest_stories": stories,
        "partners": partners,
    }


def paginate(request, queryset, per_page):
    """A page of results; a bad or out-of-range ?page= gives the nearest sensible page."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def story_index_context(index, request):
    from pages.models import StoryPage

    stories = (
        StoryPage.objects.child_of(index)
        .live()
        .public()
        .select_related("image")
        .prefetch_related("image__renditions", "tags")
        .order_by("-date", "-pk")
    )
    tag = request.GET.get("tag", "").strip()[:100]
    if tag:
        stories = stories.filter(tags__slug=tag)
    tags = (
        Tag.objects.filter(
            pages_storytag_items__content_object__path__startswith=index.path,
            pages_storytag_items__content_object__live=True,
        )
        .distinct()
        .order_by("name")
    )
    return {
        "stories": paginate(request, stories, index.stories_per_page),
        "current_tag": tag,
        "page_query": urlencode({"tag": tag}) if tag else "",
        "tags": tags,
    }
