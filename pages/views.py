"""Front-end views that are not Wagtail pages."""

import functools
import hashlib
import os
import re

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe
from wagtail.models import Site

from pages.models import SiteSettings

DEFAULT_ACCENT = "#0f766e"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# The lightest backgrounds accent-coloured text sits on: white cards, the paper and the tint.
LIGHT_BACKGROUNDS = ("#ffffff", "#fffcf7", "#f7f1e8")
DARK_TEXT = "#1b1f24"
AA_NORMAL_TEXT = 4.5
YEAR = 60 * 60 * 24 * 365


def _rgb(colour):
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _hex(rgb):
    return "#" + "".join(f"{round(channel):02x}" for channel in rgb)


def luminance(colour):
    """WCAG 2 relative luminance of a #rrggbb colour."""

    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accent_colour(value):
    """The editor's colour if it is a valid #rrggbb, else the default."""
    value = (value or "").strip()
    return value.lower() if HEX_COLOUR.match(value) else DEFAULT_ACCENT


def readable_on(background):
    """White or near-black, whichever reads better on the background."""
    return max(("#ffffff", DARK_TEXT), key=lambda text: contrast(text, background))


def darkened_for_text(colour):
    """The colour, darkened just enough for AA body text on every light background."""
    rgb = _rgb(colour)
    for step in range(21):
        candidate = _hex(channel * (1 - step / 20) for channel in rgb)
        if all(contrast(candidate, bg) >= AA_NORMAL_TEXT for bg in LIGHT_BACKGROUNDS):
            return candidate
    return DARK_TEXT


def theme_stylesheet(accent):
    accent = accent_colour(accent)
    return (
        ":root{"
        f"--accent:{accent};"
        f"--on-accent:{readable_on(accent)};"
        f"--accent-text:{darkened_for_text(accent)};"
        "}\n"
    )


SITE_CSS = "css/site.css"
RELATIVE_URL = re.compile(r"""url\((['"]?)\.\./""")


def site_css_path():
    """site.css as collected (with hashed font names in production), else from the source."""
    stored_name = getattr(staticfiles_storage, "stored_name", None)
    if stored_name is not None:
        try:
            return staticfiles_storage.path(stored_name(SITE_CSS))
        except ValueError:  # not collected yet
            pass
    return finders.find(SITE_CSS)


@functools.lru_cache(maxsize=4)
def _read_site_css(path, modified):
    """The stylesheet and a digest of it, read and hashed once per version of the file."""
    with open(path, encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    # Served from /theme.css, so "../fonts/..." must point into the static files. Not static(""):
    # the manifest storage of production has no entry for "" and raises.
    css = RELATIVE_URL.sub(lambda match: f"url({match[1]}{staticfiles_storage.base_url}", css)
    return css, hashlib.sha256(css.encode()).hexdigest()[:10]


def _site_css_and_digest():
    path = site_css_path()
    return _read_site_css(path, os.stat(path).st_mtime_ns)


def site_css():
    return _site_css_and_digest()[0]


def theme_version(accent):
    """The ?v= that base.html puts on the theme URL, so browsers may keep it for a year."""
    return f"{accent_colour(accent).removeprefix('#')}-{_site_css_and_digest()[1]}"


@require_safe
def theme_css(request):
    """The site's one stylesheet: site.css, then its accent colour as custom properties.

    One render-blocking request, and no inline style on public pages.
    """
    site = Site.find_for_request(request)
    accent = SiteSettings.for_site(site).accent_colour if site else DEFAULT_ACCENT
    css = site_css() + theme_stylesheet(accent)
    etag = '"' + hashlib.sha256(css.encode()).hexdigest()[:16] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response.headers["ETag"] = etag
    if request.GET.get("v") == theme_version(accent):
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response
