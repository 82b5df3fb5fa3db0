"""Content images are responsive, modern and do not shift the layout."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import LIFE, LIGHT
from tests.helpers import pages_of_each_type

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("hostname", [LIGHT, LIFE])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_content_images_are_responsive_pictures(client, hostname, language):
    images_seen = 0
    for page in pages_of_each_type(hostname, language):
        response = client.get(page.get_url_parts()[2], HTTP_HOST=hostname)
        main = BeautifulSoup(response.content, "html.parser").find("main")
        images = main.find_all("img")
        images_seen += len(images)
        eager = [img for img in images if img.get("loading") == "eager"]

        assert len(eager) <= 1, page
        if eager:
            assert eager[0] is images[0], f"{page}: the eager image must be the main one"
            assert eager[0]["fetchpriority"] == "high"
        for img in images:
            picture = img.find_parent("picture")
            assert picture is not None, f"{page}: {img}"
            modern = picture.find("source", type="image/webp")
            assert modern is not None and len(modern["srcset"].split(",")) >= 2
            assert int(img["width"]) > 0 and int(img["height"]) > 0
            assert img.has_attr("alt")
            assert img["loading"] in {"lazy", "eager"}
            assert "/media/images/" in img["src"]
    assert images_seen >= 5


def test_uploading_an_image_makes_its_renditions_and_rendering_makes_none(client, light):
    from wagtail.images.models import Rendition
    from wagtail_factories import ImageFactory

    from pages.renditions import rendition_specs

    image = ImageFactory()
    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made == set(rendition_specs())

    before = Rendition.objects.count()
    for page in pages_of_each_type(LIGHT, "vi"):
        client.get(page.get_url_parts()[2], HTTP_HOST=LIGHT)
    assert Rendition.objects.count() == before


def test_publishing_a_page_makes_the_missing_renditions_of_its_images(light):
    from wagtail_factories import ImageFactory

    from pages.models import StoryPage
    from pages.renditions import rendition_specs

    in_body, in_field = ImageFactory(), ImageFactory()
    for image in (in_body, in_field):
        image.renditions.all().delete()  # uploaded before these sizes existed, say
    story = StoryPage.objects.descendant_of(light.root_page).first()
    story.image = in_field
    in_body.decorative = True
    story.body = [("image", {"image": in_body, "caption": "", "credit": ""})]

    story.save_revision().publish()

    for image in (in_body, in_field):
        made = set(image.renditions.values_list("filter_spec", flat=True))
        assert made == set(rendition_specs())


def test_rendering_a_page_again_writes_nothing_to_the_cache(client, monkeypatch):
    """The renditions a page shows come with it (prefetched): none is looked up, nor written
    back to the cache, as Wagtail's get_rendition does on every call."""
    from django.core.cache.backends.locmem import LocMemCache

    pages = [page.get_url_parts()[2] for page in pages_of_each_type(LIGHT, "vi")]
    for path in pages:
        client.get(path, HTTP_HOST=LIGHT)
    writes = []
    for method in ("set", "set_many", "add"):
        original = getattr(LocMemCache, method)

        def recorded(self, *args, _original=original, _method=method, **kwargs):
            writes.append((_method, args[0]))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(LocMemCache, method, recorded)

    for path in pages:
        assert client.get(path, HTTP_HOST=LIGHT).status_code == 200

    assert writes == []


# What components/picture.html asked of Wagtail's {% picture %} before it had a tag of its own.
WAGTAIL_PICTURE = """{% load wagtailimages_tags %}{% if image.width > 800 %}{% picture image \
format-{webp,jpeg} width-{480,800,1200} sizes=sizes alt=alt loading=loading \
fetchpriority=priority decoding="async" %}{% elif image.width > 480 %}{% picture image \
format-{webp,jpeg} width-{480,800} sizes=sizes alt=alt loading=loading fetchpriority=priority \
decoding="async" %}{% else %}{% picture image format-{webp,jpeg} width-480 alt=alt \
loading=loading fetchpriority=priority decoding="async" %}{% endif %}"""


@pytest.mark.parametrize("width", [320, 480, 481, 800, 1000, 1200, 1600])
@pytest.mark.parametrize("eager", [False, True])
def test_our_picture_renders_what_wagtails_picture_tag_renders(width, eager):
    from django.template import engines
    from django.template.loader import render_to_string
    from wagtail_factories import ImageFactory

    image = ImageFactory(width=width, height=width // 2)
    alt = 'Tập huấn "an toàn" & <bảo vệ>'
    sizes = "(min-width: 60em) 30vw, 100vw"

    ours = render_to_string(
        "components/picture.html", {"image": image, "alt": alt, "sizes": sizes, "eager": eager}
    )
    wagtail_template = engines["django"].from_string(WAGTAIL_PICTURE)
    wagtails = wagtail_template.render(
        {
            "image": image,
            "alt": alt,
            "sizes": sizes,
            "loading": "eager" if eager else "lazy",
            "priority": "high" if eager else "auto",
        }
    )

    assert ours.strip() == wagtails
    assert wagtails.startswith("<picture><source")


@pytest.mark.parametrize(
    "name",
    [
        "images/light-news.format-webp.width-480.webp",
        "original_images/Ảnh tập huấn 2023.jpg",
        "/images/leading-slash.jpg",
        "images/what?is#this:here.jpg",
        "images/a/./b.jpg",
        "images/a/../b.jpg",
        "images//double.jpg",
        "../outside.jpg",
        "http://example.org/x.jpg",
        "",
    ],
)
@pytest.mark.parametrize("base_url", ["/media/", "https://cdn.example.org/media/"])
def test_media_urls_are_those_django_makes(name, base_url):
    from django.core.files.storage import FileSystemStorage

    from config.storage import MediaStorage

    expected = FileSystemStorage(base_url=base_url).url(name)
    assert MediaStorage(base_url=base_url).url(name) == expected
