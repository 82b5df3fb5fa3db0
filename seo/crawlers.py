"""sitemap.xml and robots.txt for whichever site the request is for."""

from collections import defaultdict

from django.conf import settings
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from pages.chrome import visible


def site_pages(site, request):
    """Every live, public page of the site in every language, grouped by translation key."""
    homes = Page.objects.filter(translation_key=site.root_page.translation_key)
    pages = Page.objects.none()
    for home in homes:
        pages = pages | Page.objects.descendant_of(home, inclusive=True)
    groups = defaultdict(dict)
    for page in visible(pages, request).select_related("locale").order_by("path"):
        groups[page.translation_key][page.locale.language_code] = page
    return groups.values()


@require_GET
@cache_control(max_age=3600, public=True)
def sitemap(request):
    site = Site.find_for_request(request)
    languages = [code for code, _name in settings.LANGUAGES]
    urls = []
    for translations in site_pages(site, request) if site else []:
        alternates = [
            {"code": code, "url": request.build_absolute_uri(translations[code].get_url(request))}
            for code in languages
            if code in translations
        ]
        for code in languages:
            if code in translations:
                urls.append(
                    {
                        "location": request.build_absolute_uri(translations[code].get_url(request)),
                        "last_modified": translations[code].last_published_at,
                        "alternates": alternates,
                        "default": alternates[0]["url"],
                    }
                )
    return TemplateResponse(
        request, "crawlers/sitemap.xml", {"urls": urls}, content_type="application/xml"
    )


@require_GET
@cache_control(max_age=3600, public=True)
def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /vi/search/",
        "Disallow: /en/search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
