"""What search engines and social networks read about a page: metadata and JSON-LD."""

import json

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Page, get_page_models

from pages.models import StoryPage
from pages.renditions import ORGANISATION_LOGO, rendition
from pages.renditions import SHARING as SHARING_RENDITION
from pages.routing import relatives

OPEN_GRAPH_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
DESCRIPTION_LENGTH = 160
SUMMARY_FIELDS = ("search_description", "summary", "intro", "hero_intro")  # the first one set


def absolute_url(page, request):
    """The page's URL on the host the visitor used (Site records may not know the port)."""
    return request.build_absolute_uri(page.get_url(request))


def page_summary(page):
    """The page's own short text: its description, else its summary or introduction."""
    return first_text(getattr(page, name, "") for name in SUMMARY_FIELDS)


def page_summaries(pages):
    """page_summary() of many pages of any types, by id, in one query (for search results).

    Each page type keeps these fields in its own table: the query joins the tables of the
    types among the pages, and for each field takes the one table that holds the page.
    """
    types = {page.specific_class for page in pages}
    models = [model for model in get_page_models() if model in types and not model._meta.proxy]
    own_fields = {}
    for name in SUMMARY_FIELDS[1:]:
        columns = [
            F(f"{model._meta.model_name}__{name}")
            for model in models
            if name in {field.name for field in model._meta.concrete_fields}
        ]
        own_fields[name] = (
            Coalesce(*columns, Value(""), output_field=TextField()) if columns else Value("")
        )
    rows = (
        Page.objects.filter(pk__in=[page.pk for page in pages])
        .annotate(**{f"own_{name}": lookup for name, lookup in own_fields.items()})
        .values_list("pk", "search_description", *(f"own_{name}" for name in own_fields))
    )
    return {pk: first_text(texts) for pk, *texts in rows}


def first_text(texts):
    for text in texts:
        text = " ".join(strip_tags(text or "").split())
        if text:
            return text
    return ""


def describe(page, home):
    """The page's own summary, else the site's tagline, short enough for search results."""
    text = page_summary(page) or " ".join((getattr(home, "tagline", "") or "").split())
    return Truncator(text).chars(DESCRIPTION_LENGTH) if text else ""


def sharing_image(page, site_settings):
    for name in ("social_image", "image", "hero_image"):
        image = getattr(page, name, None)
        if image is not None:
            return image
    return site_settings.default_sharing_image if site_settings else None


def page_alternates(page, request):
    """Each language's URL of this page, Vietnamese first, for hreflang links."""
    translations = relatives(request, page).translations
    return [
        {"code": code, "url": absolute_url(translations[code], request)}
        for code, _name in settings.LANGUAGES
        if code in translations
    ]


def organisation(home, site_settings, request):
    data = {
        "@type": "NGO",
        "@id": absolute_url(home, request) + "#organisation",
        "name": home.organisation_name,
        "alternateName": site_settings.short_name,
        "url": absolute_url(home, request),
    }
    if home.tagline:
        data["description"] = home.tagline
    if site_settings.email:
        data["email"] = site_settings.email
    if site_settings.phone:
        data["telephone"] = site_settings.phone
    if home.address:
        data["address"] = home.address
    if site_settings.logo:
        logo = rendition(site_settings.logo, ORGANISATION_LOGO)
        data["logo"] = request.build_absolute_uri(logo.url)
    if site_settings.social_links:
        data["sameAs"] = [url for _name, url in site_settings.social_links]
    return data


def breadcrumbs(page, request):
    trail = [*relatives(request, page).ancestors, page]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.title,
                "item": absolute_url(crumb, request),
            }
            for position, crumb in enumerate(trail, start=1)
        ],
    }


def news_article(story, home, image_url, request, language):
    data = {
        "@type": "NewsArticle",
        "headline": Truncator(story.title).chars(110),
        "datePublished": story.date.isoformat(),
        "dateModified": (story.last_published_at or story.date).isoformat(),
        "inLanguage": language,
        "mainEntityOfPage": absolute_url(story, request),
        "publisher": {"@id": absolute_url(home, request) + "#organisation"},
        "author": {"@type": "Organization", "name": story.author or home.organisation_name},
    }
    if image_url:
        data["image"] = [image_url]
    if story.summary:
        data["description"] = story.summary
    return data


def json_ld(graph):
    """A JSON-LD data block; a data block is never executed, so a strict CSP allows it."""
    text = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def page_meta(request, page, chrome):
    """Everything the <head> says about a page to search engines and social networks."""
    home, site_settings = chrome["home"], chrome["settings"]
    site_settings = site_settings if home else None
    is_page = isinstance(page, Page)
    language = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "vi"
    meta = {
        "title": home.organisation_name
        if getattr(page, "is_home", False)
        else getattr(page, "seo_title", "") or getattr(page, "title", ""),
        "description": describe(page, home),
        "canonical": absolute_url(page, request)
        if is_page
        else request.build_absolute_uri(request.path),
        "alternates": page_alternates(page, request) if is_page else [],
        "og_locale": OPEN_GRAPH_LOCALES.get(language, language),
        "og_locale_alternates": [
            value for code, value in OPEN_GRAPH_LOCALES.items() if code != language
        ],
        "og_type": "article" if isinstance(page, StoryPage) else "website",
        "image": None,
        "json_ld": "",
    }
    if meta["alternates"]:
        meta["x_default"] = meta["alternates"][0]["url"]
    image = sharing_image(page, site_settings)
    if image is not None:
        shared = rendition(image, SHARING_RENDITION)
        meta["image"] = {
            "url": request.build_absolute_uri(shared.url),
            "width": shared.width,
            "height": shared.height,
            "alt": getattr(page, "image_alt", ""),
        }
    if home is not None:
        graph = [organisation(home, site_settings, request)]
        if is_page and not getattr(page, "is_home", False):
            graph.append(breadcrumbs(page, request))
        if isinstance(page, StoryPage):
            image_url = meta["image"] and meta["image"]["url"]
            story_language = chrome["locales"].get(page.locale_id, language)
            graph.append(news_article(page, home, image_url, request, story_language))
        meta["json_ld"] = json_ld(graph)
    return meta
