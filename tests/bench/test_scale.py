"""`load_demo_content --scale N`: the benchmark's data set is a valid, live, bilingual site.

The pages are written in bulk (demo/scale.py), so these tests check what Wagtail's
own `add_child` and `publish` would have guaranteed.
"""

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page

from demo.scale import generated_key
from pages.models import StoryIndexPage, StoryPage
from programmes.models import ProgrammePage
from tests.conftest import LIFE, LIGHT
from tests.helpers import home_of, path_of

pytestmark = pytest.mark.django_db

SCALE = 40


@pytest.fixture
def scaled(django_capture_on_commit_callbacks):
    before = {model: model.objects.count() for model in (StoryPage, ProgrammePage)}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_content", scale=SCALE, verbosity=0)
    return before


def generated(model, hostname, language, count=SCALE):
    """The pages of a kind that --scale made on one site, in one language."""
    kind = "story" if model is StoryPage else "programme"
    keys = [generated_key(hostname, kind, number) for number in range(count)]
    home = home_of(hostname, language)
    return model.objects.descendant_of(home).filter(translation_key__in=keys).order_by("path")


def test_adds_n_stories_and_n_tenths_programmes_in_both_languages(scaled):
    assert StoryPage.objects.count() == scaled[StoryPage] + 2 * SCALE
    assert ProgrammePage.objects.count() == scaled[ProgrammePage] + 2 * (SCALE // 10)
    for hostname in (LIGHT, LIFE):
        sources = list(generated(StoryPage, hostname, "vi"))
        translations = generated(StoryPage, hostname, "en")
        assert len(sources) == SCALE // 2
        assert {page.translation_key for page in sources} == {
            page.translation_key for page in translations
        }


def test_the_page_tree_is_sound(scaled):
    problems = Page.find_problems()
    assert all(not found for found in problems), problems
    for index in StoryIndexPage.objects.all():
        assert index.numchild == Page.objects.child_of(index).count()


def test_generated_pages_are_live_with_a_published_revision(scaled):
    story = generated(StoryPage, LIGHT, "vi").last()

    assert story.live and story.first_published_at
    assert story.live_revision == story.latest_revision
    assert story.latest_revision.as_object().title == story.title
    assert story.tags.count() == 2


def test_generated_pages_render_in_both_languages(client, scaled):
    english = Locale.objects.get(language_code="en")
    story = generated(StoryPage, LIFE, "vi").last()
    programme = generated(ProgrammePage, LIGHT, "vi").first()

    for page, hostname in (
        (story, LIFE),
        (story.get_translation(english), LIFE),
        (programme, LIGHT),
        (programme.get_translation(english), LIGHT),
    ):
        response = client.get(path_of(page), HTTP_HOST=hostname)
        assert response.status_code == 200
        assert page.title in response.content.decode()


def test_generated_pages_are_listed_and_found(client, scaled):
    story = generated(StoryPage, LIGHT, "en").first()
    index = story.get_parent()
    listed = "".join(
        client.get(f"{path_of(index)}?page={number}", HTTP_HOST=LIGHT).content.decode()
        for number in (1, 2)
    )
    found = client.get("/en/search/", {"q": story.title}, HTTP_HOST=LIGHT)

    assert path_of(story) in listed
    assert path_of(story) in found.content.decode()


def test_running_again_adds_only_what_is_missing(scaled):
    pages = Page.objects.count()

    call_command("load_demo_content", scale=SCALE, verbosity=0)
    assert Page.objects.count() == pages

    call_command("load_demo_content", scale=SCALE + 10, verbosity=0)
    assert Page.objects.count() == pages + 2 * 10 + 2 * 1
    assert all(not found for found in Page.find_problems())
