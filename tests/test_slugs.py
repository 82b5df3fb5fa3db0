"""Slugs made from Vietnamese titles are readable ASCII, and old URLs keep working."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from pages.models import StandardPage
from pages.slugs import ascii_slug
from tests.conftest import LIGHT

pytestmark = pytest.mark.django_db

EXAMPLES = [
    ("Bạo lực trên cơ sở giới", "bao-luc-tren-co-so-gioi"),
    ("Vì sức khỏe cộng đồng", "vi-suc-khoe-cong-dong"),
    ("ĐỒNG BẰNG SÔNG CỬU LONG", "dong-bang-song-cuu-long"),
    ("Community health & HIV", "community-health-hiv"),
    ("Ba\u0323o lu\u031b\u0323c", "bao-luc"),  # tone marks typed as combining characters
]


@pytest.mark.parametrize(("title", "slug"), EXAMPLES)
def test_ascii_slug(title, slug):
    assert ascii_slug(title) == slug


@pytest.mark.parametrize(("title", "slug"), EXAMPLES[:2])
def test_pages_created_in_code_get_readable_slugs(light, title, slug):
    home = light.root_page

    first = home.add_child(instance=StandardPage(title=title))
    second = home.add_child(instance=StandardPage(title=title))

    assert first.slug == slug
    assert second.slug == f"{slug}-2"
    assert first.title == title
    assert first.draft_title == title


def test_a_renamed_page_keeps_its_old_link(client, light, django_capture_on_commit_callbacks):
    page = light.root_page.add_child(instance=StandardPage(title="Báo cáo năm"))
    page.save_revision().publish()
    old_path = page.get_url_parts()[2]

    page.slug = "bao-cao-thuong-nien"
    with django_capture_on_commit_callbacks(execute=True):  # redirects are made on commit
        page.save_revision().publish()
    response = client.get(old_path, HTTP_HOST=LIGHT)

    assert Redirect.objects.filter(redirect_page=page).exists()
    assert response.status_code == 301
    assert response["Location"].endswith("/vi/bao-cao-thuong-nien/")
