from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import admin_urlpatterns
from config.views import healthz
from pages.feeds import StoriesFeed
from pages.views import theme_css
from seo.crawlers import robots, sitemap
from sitesearch.views import search_view

# A database outage gets the friendly 503 page, wherever in the request it shows (config/outage.py).
handler500 = "config.outage.server_error"
handler404 = "config.views.page_not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots, name="robots"),
    path("theme.css", theme_css, name="theme_css"),
    *admin_urlpatterns,  # /admin/login/ and /admin/logout/ go through allauth
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Open data files hold both languages: one address each, without a language prefix.
    path("open-data/", include("opendata.urls")),
]

# Every public page lives under /vi/ or /en/; LocaleMiddleware sends "/" to the visitor's language.
urlpatterns += i18n_patterns(
    path("feed/", StoriesFeed(), name="stories_feed"),
    path("search/", search_view, name="search"),
    # Staff accounts: /vi/accounts/login/ and /en/accounts/login/, in the visitor's language.
    path("accounts/", include("allauth.urls")),
    # Wagtail's page URLs; the contact form needs no CSRF cookie (see pages/urls.py).
    path("", include("pages.urls")),
    prefix_default_language=True,
)
