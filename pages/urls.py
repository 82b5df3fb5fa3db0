"""Wagtail's public URLs, with pages served without Django's CSRF cookie.

Only the contact form accepts a POST from anonymous visitors, and it checks the request's
Origin or Referer instead (see `ContactPage.serve`): a CSRF token would mean a cookie for
every visitor who opens the page. Every other page type keeps Django's usual check through
the `before_serve_page` hook in pages/wagtail_hooks.py.
"""

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views

from pages.routing import find_page


@csrf_exempt
def csrf_exempt_serve(request, path):
    find_page(request, path)  # Wagtail's routing, in fewer queries (pages/routing.py)
    return wagtail_views.serve(request, path)


urlpatterns = [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, csrf_exempt_serve, name="wagtail_serve"),
]
